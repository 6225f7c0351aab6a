using System.CommandLine;
using System.Text.Json;
using Eventuali.Lifecycle;

namespace Eventuali.Cli.Commands.Stream;

/// <summary>Options and output shared by the <c>stream</c> subcommands.</summary>
internal static class StreamCommandKit
{
    public static Option<string> StreamOption(bool required = true) => new("--stream", "-s") { Description = "The stream id.", Required = required };

    public static Option<bool> JsonOption() => new("--json") { Description = "Print the result as one JSON object instead of a sentence." };

    /// <summary>Opens the store named by --database (or $EVENTUALI_DATABASE), runs <paramref name="work"/> on its lifecycle operations.</summary>
    public static async Task<int> RunAsync(CliIo io, string? database, Func<IEventStore, IStreamLifecycle, Task<int>> work, CancellationToken cancellationToken)
    {
        var url = CommonOptions.ResolveDatabase(database, io);
        var store = await CommonOptions.OpenAsync(url, cancellationToken).ConfigureAwait(false);
        await using (store.ConfigureAwait(false))
        {
            return await work(store, store.GetStreamLifecycle()).ConfigureAwait(false);
        }
    }

    /// <summary>Writes the JSON object or the sentence, then returns success.</summary>
    public static async Task<int> ReportAsync(CliIo io, bool json, Action<Utf8JsonWriter> fields, string sentence)
    {
        await io.Out.WriteLineAsync(json ? Json(fields) : sentence).ConfigureAwait(false);
        return ExitCodes.Success;
    }

    /// <summary>One line on stderr and exit code 1: the command ran and could not do what was asked.</summary>
    public static async Task<int> FailAsync(CliIo io, string message)
    {
        await io.Error.WriteLineAsync("eventuali: " + message).ConfigureAwait(false);
        return ExitCodes.Failure;
    }

    public static string Json(Action<Utf8JsonWriter> fields) => Cli.Json.Object(fields);

    /// <summary>Help text: a description followed by example command lines.</summary>
    public static string WithExamples(string description, params string[] examples)
        => description + Environment.NewLine + Environment.NewLine + "Examples:" + Environment.NewLine
           + string.Join(Environment.NewLine, examples.Select(e => "  " + e));
}
