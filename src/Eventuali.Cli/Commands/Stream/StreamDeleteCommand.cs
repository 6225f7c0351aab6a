using System.CommandLine;
using Eventuali.Lifecycle;

namespace Eventuali.Cli.Commands.Stream;

/// <summary><c>eventuali stream delete</c>: soft delete (default), hard delete (--hard) or tombstone (--tombstone).</summary>
internal static class StreamDeleteCommand
{
    public static Command Create(CliIo io)
    {
        var database = CommonOptions.Database();
        var stream = StreamCommandKit.StreamOption();
        var hard = new Option<bool>("--hard") { Description = "Remove the events for good (also archived events and snapshots); the name starts again at version 1." };
        var tombstone = new Option<bool>("--tombstone") { Description = "Remove the events for good and refuse every later append to the name (implies --hard)." };
        var json = StreamCommandKit.JsonOption();
        var command = new Command("delete", StreamCommandKit.WithExamples(
            "Delete a stream. Default: soft (hidden from stream reads, kept in the global log, restorable). Exit 1 when there was nothing to delete.",
            "eventuali stream delete -d sqlite://shop.db -s order-42",
            "eventuali stream delete -d sqlite://shop.db -s order-42 --hard --json",
            "eventuali stream delete -s order-42 --tombstone"))
        {
            database, stream, hard, tombstone, json,
        };
        command.SetAction(async (parse, ct) =>
        {
            var streamId = parse.GetRequiredValue(stream);
            var mode = parse.GetValue(tombstone) ? DeleteMode.Tombstone : parse.GetValue(hard) ? DeleteMode.Hard : DeleteMode.Soft;
            return await StreamCommandKit.RunAsync(io, parse.GetValue(database), async (_, life) =>
            {
                if (!await life.DeleteStreamAsync(streamId, mode, ct).ConfigureAwait(false))
                {
                    return await StreamCommandKit.FailAsync(io, $"stream '{streamId}' has nothing to delete (it does not exist or is already deleted).").ConfigureAwait(false);
                }

                var word = mode switch { DeleteMode.Tombstone => "tombstone", DeleteMode.Hard => "hard", _ => "soft" };
                var sentence = mode switch
                {
                    DeleteMode.Tombstone => $"Deleted stream '{streamId}' for good; its name is tombstoned (appends are refused).",
                    DeleteMode.Hard => $"Deleted stream '{streamId}' for good; the name can be used again from version 1.",
                    _ => $"Soft-deleted stream '{streamId}'; 'eventuali stream restore -s {streamId}' brings it back.",
                };
                return await StreamCommandKit.ReportAsync(io, parse.GetValue(json), w =>
                {
                    w.WriteString("streamId", streamId);
                    w.WriteString("deleted", word);
                }, sentence).ConfigureAwait(false);
            }, ct).ConfigureAwait(false);
        });
        return command;
    }
}
