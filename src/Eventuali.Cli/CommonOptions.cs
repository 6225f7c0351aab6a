using System.CommandLine;

namespace Eventuali.Cli;

/// <summary>Options several commands share.</summary>
internal sealed class CommonOptions
{
    public const string DatabaseVariable = "EVENTUALI_DATABASE";
    public const string DefaultDatabase = "sqlite://eventuali.db";

    public Option<bool> Verbose { get; } = new("--verbose")
    {
        Description = "On failure, print the full exception after the one-line error.",
        Recursive = true,
    };

    /// <summary>A fresh --database option (an option instance belongs to one command).</summary>
    public static Option<string?> Database() => new("--database", "-d")
    {
        Description = $"Store URL: sqlite://path.db, memory://, postgresql://user@host/db. Default: ${DatabaseVariable}, else {DefaultDatabase}.",
        HelpName = "url",
    };

    /// <summary>--database, else $EVENTUALI_DATABASE, else sqlite://eventuali.db.</summary>
    public static string ResolveDatabase(string? given, CliIo io)
    {
        if (!string.IsNullOrWhiteSpace(given))
        {
            return given;
        }

        var fromEnvironment = io.GetEnvironment(DatabaseVariable);
        return string.IsNullOrWhiteSpace(fromEnvironment) ? DefaultDatabase : fromEnvironment;
    }

    /// <summary>Opens the store, registering nothing: the CLI works on raw events.</summary>
    public static ValueTask<IEventStore> OpenAsync(string url, CancellationToken cancellationToken)
        => EventStore.CreateAsync(url, EventStoreOptions.Default, cancellationToken);
}
