using System.CommandLine;
using Eventuali.Lifecycle;

namespace Eventuali.Cli.Commands.Stream;

/// <summary><c>eventuali stream info</c>: a stream's lifecycle state.</summary>
internal static class StreamInfoCommand
{
    public static Command Create(CliIo io)
    {
        var database = CommonOptions.Database();
        var stream = StreamCommandKit.StreamOption();
        var json = StreamCommandKit.JsonOption();
        var command = new Command("info", StreamCommandKit.WithExamples(
            "Show a stream's state (live, soft-deleted, tombstoned or none), version and truncation point.",
            "eventuali stream info -d sqlite://shop.db -s order-42",
            "eventuali stream info -s order-42 --json"))
        {
            database, stream, json,
        };
        command.SetAction(async (parse, ct) =>
        {
            var streamId = parse.GetRequiredValue(stream);
            return await StreamCommandKit.RunAsync(io, parse.GetValue(database), async (_, life) =>
            {
                var info = await life.GetStreamInfoAsync(streamId, ct).ConfigureAwait(false);
                var status = Name(info.Status);
                return await StreamCommandKit.ReportAsync(io, parse.GetValue(json), w =>
                {
                    w.WriteString("streamId", streamId);
                    w.WriteString("status", status);
                    if (info.Version is { } v)
                    {
                        w.WriteNumber("streamVersion", v);
                    }
                    else
                    {
                        w.WriteNull("streamVersion");
                    }

                    w.WriteNumber("truncatedBefore", info.TruncatedBefore);
                }, $"Stream '{streamId}': {status}, version {(info.Version?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "none")}, readable from version {info.TruncatedBefore}.").ConfigureAwait(false);
            }, ct).ConfigureAwait(false);
        });
        return command;
    }

    internal static string Name(StreamStatus status) => status switch
    {
        StreamStatus.Live => "live",
        StreamStatus.SoftDeleted => "soft-deleted",
        StreamStatus.Tombstoned => "tombstoned",
        _ => "none",
    };
}
