using System.CommandLine;

namespace Eventuali.Cli.Commands.Stream;

/// <summary><c>eventuali stream truncate</c> and <c>eventuali stream archive</c>: remove (or move to archive) the events below a version.</summary>
internal static class StreamTruncateCommand
{
    public static Command Create(CliIo io, bool archive)
    {
        var database = CommonOptions.Database();
        var stream = StreamCommandKit.StreamOption();
        var before = new Option<long?>("--before-version")
        {
            Description = archive ? "Archive the events below this version. Default: all of them." : "Remove the events below this version (the version itself is kept).",
            Required = !archive,
            HelpName = "N",
        };
        var json = StreamCommandKit.JsonOption();
        var command = archive
            ? new Command("archive", StreamCommandKit.WithExamples(
                "Move a stream's events below a version (default: all) to archive storage in one transaction. They leave stream reads and the global log; the version is kept.",
                "eventuali stream archive -d sqlite://shop.db -s order-42",
                "eventuali stream archive -s order-42 --before-version 100 --json"))
            : new Command("truncate", StreamCommandKit.WithExamples(
                "Remove a stream's events below a version for good. The stream keeps its version; later appends continue from it.",
                "eventuali stream truncate -d sqlite://shop.db -s order-42 --before-version 10",
                "eventuali stream truncate -s order-42 --before-version 10 --json"));
        command.Options.Add(database);
        command.Options.Add(stream);
        command.Options.Add(before);
        command.Options.Add(json);
        command.SetAction(async (parse, ct) =>
        {
            var streamId = parse.GetRequiredValue(stream);
            var beforeVersion = parse.GetValue(before) ?? long.MaxValue;
            if (beforeVersion < 1)
            {
                throw new UsageException($"--before-version must be 1 or more; got {beforeVersion}.");
            }

            return await StreamCommandKit.RunAsync(io, parse.GetValue(database), async (_, life) =>
            {
                var moved = archive
                    ? await life.ArchiveStreamAsync(streamId, beforeVersion, ct).ConfigureAwait(false)
                    : await life.TruncateStreamAsync(streamId, beforeVersion, ct).ConfigureAwait(false);
                var info = await life.GetStreamInfoAsync(streamId, ct).ConfigureAwait(false);
                return await StreamCommandKit.ReportAsync(io, parse.GetValue(json), w =>
                {
                    w.WriteString("streamId", streamId);
                    w.WriteNumber(archive ? "archived" : "removed", moved);
                    w.WriteNumber("truncatedBefore", info.TruncatedBefore);
                    w.WriteNumber("streamVersion", info.Version ?? 0);
                }, $"{(archive ? "Archived" : "Removed")} {moved} event(s) of stream '{streamId}'; it keeps version {info.Version ?? 0}, readable from version {info.TruncatedBefore}.").ConfigureAwait(false);
            }, ct).ConfigureAwait(false);
        });
        return command;
    }
}
