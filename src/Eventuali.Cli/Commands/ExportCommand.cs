using System.CommandLine;
using System.Globalization;
using Eventuali.Cli.Transfer;
using Eventuali.Statistics;

namespace Eventuali.Cli.Commands;

/// <summary><c>eventuali export</c>: the global log as JSON lines in position order, to stdout or a file (gzip for .gz).</summary>
internal static class ExportCommand
{
    public static Command Create(CliIo io)
    {
        var database = CommonOptions.Database();
        var output = new Option<string?>("--output", "-o") { Description = "Write to this file (gzip when it ends in .gz), replaced only when the export succeeds. Default: stdout.", HelpName = "file" };
        var fromPosition = new Option<long>("--from-position") { Description = "First position to export (inclusive), for incremental exports.", DefaultValueFactory = _ => 1 };
        var category = new Option<string?>("--category") { Description = "Only streams whose id starts with this prefix (e.g. account-)." };
        var json = new Option<bool>("--json") { Description = "With --output: print the summary as one JSON object." };
        var formats = new ExportFormats();

        var command = new Command("export", "Write every event as JSON lines in position order, preserving ids, versions, metadata and timestamps.")
        {
            database, output, fromPosition, category, json,
        };
        foreach (var option in formats.All)
        {
            command.Options.Add(option);
        }

        Examples.Add(command, 
            "eventuali export -d sqlite://events.db --output events.jsonl",
            "eventuali export -d sqlite://events.db -o backup.jsonl.gz",
            "eventuali export -d sqlite://events.db | gzip > events.jsonl.gz",
            "eventuali export -d sqlite://events.db --format parquet --output lake/events",
            "eventuali export -d sqlite://events.db --format debezium --server-name shop -o changes.jsonl");
        command.SetAction(async (parse, ct) =>
        {
            var url = CommonOptions.ResolveDatabase(parse.GetValue(database), io);
            var path = parse.GetValue(output);
            var prefix = parse.GetValue(category);
            var filter = string.IsNullOrEmpty(prefix) ? null : EventFilter.ForCategory(prefix);
            formats.Validate(parse, path);
            var store = await CommonOptions.OpenAsync(url, ct).ConfigureAwait(false);
            await using (store.ConfigureAwait(false))
            {
                if (parse.GetValue(formats.Format) == "parquet")
                {
                    return await formats.ExportParquetAsync(parse, store, path!, parse.GetValue(fromPosition), prefix, parse.GetValue(json), io, ct).ConfigureAwait(false);
                }

                var format = formats.LineFormatter(parse, store);
                long? total = io.ErrorIsTerminal && filter is null && store.GetFeature<IStoreStatistics>() is { } stats
                    ? (await stats.GetStatisticsAsync(ct).ConfigureAwait(false)).Events
                    : null;
                if (path is null)
                {
                    await WriteAsync(store, io.Out, parse.GetValue(fromPosition), filter, format, io, total, ct).ConfigureAwait(false);
                    return ExitCodes.Success;
                }

                var file = ExportFiles.Create(path);
                await using (file.ConfigureAwait(false))
                {
                    var (events, streams) = await WriteAsync(store, file.Writer, parse.GetValue(fromPosition), filter, format, io, total, ct).ConfigureAwait(false);
                    await file.CommitAsync().ConfigureAwait(false);
                    var full = Path.GetFullPath(path);
                    await io.Out.WriteLineAsync(parse.GetValue(json)
                        ? Json.Object(w => { w.WriteNumber("events", events); w.WriteNumber("streams", streams); w.WriteString("output", full); })
                        : string.Create(CultureInfo.InvariantCulture, $"Exported {events} events of {streams} streams to {full}.")).ConfigureAwait(false);
                }
            }

            return ExitCodes.Success;
        });
        return command;
    }

    internal static Task<(long Events, long Streams)> WriteAsync(IEventStore store, TextWriter writer, long from, EventFilter? filter, Func<RecordedEvent, string>? format, CliIo io, long? total, CancellationToken ct)
        => ProgressDisplay.RunAsync(io, "exporting", total, async progress =>
        {
            var line = new EventJsonLine(canonical: true);
            format ??= line.Format;
            var streams = new HashSet<string>(StringComparer.Ordinal);
            long events = 0;
            await foreach (var e in store.ReadAllAsync(from, int.MaxValue, filter, ct).ConfigureAwait(false))
            {
                await writer.WriteLineAsync(format(e)).ConfigureAwait(false);
                streams.Add(e.StreamId);
                if (++events % 1000 == 0)
                {
                    progress(events);
                }
            }

            await writer.FlushAsync(ct).ConfigureAwait(false);
            return (events, (long)streams.Count);
        });
}
