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

    /// <summary>--database, else $EVENTUALI_DATABASE, else sqlite://eventuali.db; naming the --tenant when one was given.</summary>
    public static string ResolveDatabase(string? given, CliIo io) => TenantOption.Apply(ResolveStoreRoot(given, io));

    /// <summary>--database, else $EVENTUALI_DATABASE, else sqlite://eventuali.db, never narrowed to a tenant (the tenants commands).</summary>
    public static string ResolveStoreRoot(string? given, CliIo io)
    {
        if (!string.IsNullOrWhiteSpace(given))
        {
            return given;
        }

        var fromEnvironment = io.GetEnvironment(DatabaseVariable);
        return string.IsNullOrWhiteSpace(fromEnvironment) ? DefaultDatabase : fromEnvironment;
    }

    /// <summary>
    /// Opens an existing store, registering nothing (the CLI works on raw events), seen through field encryption when a key file was given. A mistyped path or schema fails
    /// with "No such store" instead of becoming a new, empty store; only the commands that write create one.
    /// </summary>
    public static async ValueTask<IEventStore> OpenAsync(string url, CancellationToken cancellationToken)
        => await KeyFileOption.SecureAsync(AuditOption.Apply(await EventStore.OpenExistingAsync(url, EventStoreOptions.Default, cancellationToken).ConfigureAwait(false))).ConfigureAwait(false);

    /// <summary>Opens the store, creating it when missing: for init and append.</summary>
    public static async ValueTask<IEventStore> OpenOrCreateAsync(string url, CancellationToken cancellationToken)
        => await KeyFileOption.SecureAsync(AuditOption.Apply(await EventStore.CreateAsync(url, EventStoreOptions.Default, cancellationToken).ConfigureAwait(false))).ConfigureAwait(false);
}
