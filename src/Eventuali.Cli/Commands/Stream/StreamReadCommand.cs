using System.CommandLine;
using Eventuali.Lifecycle;

namespace Eventuali.Cli.Commands.Stream;

/// <summary><c>eventuali stream read</c>: a stream including its archived events, as JSON lines (streaming).</summary>
internal static class StreamReadCommand
{
    public static Command Create(CliIo io)
    {
        var database = CommonOptions.Database();
        var stream = StreamCommandKit.StreamOption();
        var archivedOnly = new Option<bool>("--archived-only") { Description = "Only the archived events (default: archived, then hot)." };
        var fromVersion = new Option<long?>("--from-version") { Description = "First version to return (default: 1, or the newest with --backward)." };
        var backward = new Option<bool>("--backward") { Description = "Newest first." };
        var maxCount = NumberOptions.NullableInt("--max-count", "-n", 1, int.MaxValue);
        maxCount.Description = "Return at most this many events.";
        var command = new Command("read", StreamCommandKit.WithExamples(
            "Print a stream as if nothing were archived (archived events, then hot ones) as JSON lines; 'eventuali read' shows hot events only.",
            "eventuali stream read -d sqlite://shop.db -s order-42",
            "eventuali stream read -s order-42 --archived-only --backward -n 10"))
        {
            database, stream, archivedOnly, fromVersion, backward, maxCount,
        };
        command.SetAction(async (parse, ct) =>
        {
            var streamId = parse.GetRequiredValue(stream);
            var max = parse.GetValue(maxCount) ?? int.MaxValue;
            if (max < 0)
            {
                throw new UsageException($"--max-count must be 0 or more; got {max}.");
            }

            var back = parse.GetValue(backward);
            var direction = back ? ReadDirection.Backward : ReadDirection.Forward;
            var from = parse.GetValue(fromVersion) ?? (back ? StreamVersion.End : StreamVersion.Start);
            return await StreamCommandKit.RunAsync(io, parse.GetValue(database), async (store, life) =>
            {
                var events = parse.GetValue(archivedOnly)
                    ? life.ReadArchivedStreamAsync(streamId, from, max, direction, ct)
                    : store.ReadStreamWithArchiveAsync(streamId, from, max, direction, ct);
                var line = new EventJsonLine();
                await foreach (var e in events.ConfigureAwait(false))
                {
                    await io.Out.WriteLineAsync(line.Format(e)).ConfigureAwait(false);
                }

                return ExitCodes.Success;
            }, ct).ConfigureAwait(false);
        });
        return command;
    }
}
