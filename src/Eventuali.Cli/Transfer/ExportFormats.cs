using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using Eventuali.Parquet;
using Eventuali.Tools.ChangeEvents;

namespace Eventuali.Cli.Transfer;

/// <summary>
/// The export formats besides the default JSON lines: <c>parquet</c> (a partitioned, incremental data set in the
/// --output directory) and <c>debezium</c> (JSON lines shaped as Debezium change events).
/// </summary>
internal sealed class ExportFormats
{
    public Option<string> Format { get; } = CreateFormat();

    public Option<string?> Checkpoint { get; } = new("--checkpoint") { Description = "parquet: the checkpoint file (default: _eventuali_checkpoint.json in the output directory); a re-run exports only events after it.", HelpName = "file" };

    public Option<string> ServerName { get; } = new("--server-name") { Description = "debezium: the logical server name (source.name and source.db).", DefaultValueFactory = _ => "eventuali" };

    public IEnumerable<Option> All => [Format, Checkpoint, ServerName];

    private static Option<string> CreateFormat()
    {
        var format = new Option<string>("--format") { Description = "jsonl (default: the lossless backup format import reads), parquet (a Hive-partitioned data set in the --output directory, incremental) or debezium (Debezium change-event JSON lines).", DefaultValueFactory = _ => "jsonl" };
        format.AcceptOnlyFromAmong("jsonl", "parquet", "debezium");
        return format;
    }

    /// <summary>The formatter of one JSON line for a line format, or null for jsonl.</summary>
    public Func<RecordedEvent, string>? LineFormatter(ParseResult parse, IEventStore store)
    {
        if (parse.GetValue(Format) != "debezium")
        {
            return null;
        }

        var server = parse.GetValue(ServerName)!;
        if (string.IsNullOrWhiteSpace(server))
        {
            throw new UsageException("--server-name must not be empty.");
        }

        var clock = store.Options.TimeProvider;
        return e => DebeziumChangeEvent.Format(e, server, clock.GetUtcNow());
    }

    /// <summary>Refuses options that do not belong to the chosen format.</summary>
    public void Validate(ParseResult parse, string? output)
    {
        var format = parse.GetValue(Format);
        if (format != "parquet" && parse.GetResult(Checkpoint) is { Implicit: false })
        {
            throw new UsageException("--checkpoint is for --format parquet.");
        }

        if (format != "debezium" && parse.GetResult(ServerName) is { Implicit: false })
        {
            throw new UsageException("--server-name is for --format debezium.");
        }

        if (format == "parquet" && output is null)
        {
            throw new UsageException("--format parquet needs --output DIRECTORY (the data set's root).");
        }
    }

    public async Task<int> ExportParquetAsync(ParseResult parse, IEventStore store, string output, long fromPosition, string? category, bool json, CliIo io, CancellationToken ct)
    {
        var options = new ParquetExportOptions(output)
        {
            StreamIdPrefix = category,
            CheckpointFile = parse.GetValue(Checkpoint),
            FromPosition = fromPosition,
        };
        var started = Stopwatch.GetTimestamp();
        var result = await ParquetExport.ExportAsync(store, options, ct).ConfigureAwait(false);
        var seconds = Stopwatch.GetElapsedTime(started).TotalSeconds;
        var root = Path.GetFullPath(output);
        await io.Out.WriteLineAsync(json
            ? Json.Object(w =>
            {
                w.WriteNumber("events", result.Events);
                w.WriteNumber("fromPosition", result.FromPosition);
                w.WriteNumber("toPosition", result.ToPosition);
                w.WriteNumber("files", result.Files.Count);
                w.WriteString("output", root);
                w.WriteNumber("seconds", Math.Round(seconds, 3));
            })
            : string.Create(CultureInfo.InvariantCulture, $"Exported {result.Events} events (positions {result.FromPosition}..{result.ToPosition}) to {result.Files.Count} Parquet file(s) under {root} in {seconds:F2} s ({(seconds > 0 ? result.Events / seconds : 0):N0} events/s).")).ConfigureAwait(false);
        return ExitCodes.Success;
    }
}
