using System.CommandLine;

namespace Eventuali.Cli.Commands.Stream;

/// <summary><c>eventuali stream restore</c>: brings a soft-deleted stream back intact.</summary>
internal static class StreamRestoreCommand
{
    public static Command Create(CliIo io)
    {
        var database = CommonOptions.Database();
        var stream = StreamCommandKit.StreamOption();
        var json = StreamCommandKit.JsonOption();
        var command = new Command("restore", StreamCommandKit.WithExamples(
            "Restore a soft-deleted stream with its events, versions and positions. Exit 1 when it is not soft-deleted (or is tombstoned).",
            "eventuali stream restore -d sqlite://shop.db -s order-42",
            "eventuali stream restore -s order-42 --json"))
        {
            database, stream, json,
        };
        command.SetAction(async (parse, ct) =>
        {
            var streamId = parse.GetRequiredValue(stream);
            return await StreamCommandKit.RunAsync(io, parse.GetValue(database), async (_, life) =>
            {
                if (!await life.RestoreStreamAsync(streamId, ct).ConfigureAwait(false))
                {
                    return await StreamCommandKit.FailAsync(io, $"stream '{streamId}' is not soft-deleted; nothing to restore.").ConfigureAwait(false);
                }

                var info = await life.GetStreamInfoAsync(streamId, ct).ConfigureAwait(false);
                return await StreamCommandKit.ReportAsync(io, parse.GetValue(json), w =>
                {
                    w.WriteString("streamId", streamId);
                    w.WriteBoolean("restored", true);
                    w.WriteNumber("streamVersion", info.Version ?? 0);
                }, $"Restored stream '{streamId}' at version {info.Version ?? 0}.").ConfigureAwait(false);
            }, ct).ConfigureAwait(false);
        });
        return command;
    }
}
