using System.CommandLine;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Eventuali.Benchmarking;

namespace Eventuali.Cli.Commands;

/// <summary><c>eventuali benchmark</c>: runs one workload through <see cref="BenchmarkRunner"/> and prints what was measured.</summary>
internal static class BenchmarkCommand
{
    public static Command Create(CliIo io)
    {
        var database = new Option<string?>("--database", "-d")
        {
            Description = "Store URL to benchmark. Default: a fresh temporary SQLite file, deleted afterwards. A given store keeps the benchmark's events under fresh stream ids.",
            HelpName = "url",
        };
        var workload = new Option<string>("--workload", "-w")
        {
            Description = "What to measure: " + string.Join(", ", BenchmarkWorkloads.All) + ". Required unless --duration (load test) is given.",
            HelpName = "name",
        };
        workload.AcceptOnlyFromAmong([.. BenchmarkWorkloads.All]);
        var events = NumberOptions.Int("--events", "-n", 1, NumberOptions.MaxBenchmarkEvents, 10_000);
        events.Description = "Events in the timed phase (1 to 100,000,000).";
        var batch = NumberOptions.Int("--batch", "-b", 1, 100_000, 50);
        batch.Description = "Events per append (append-batch), per stream (all workloads) and per publish (stream); 1 to 100,000.";
        var concurrency = NumberOptions.Int("--concurrency", "-c", 1, 10_000, 32);
        concurrency.Description = "Writers for append-concurrent and the load test; 1 to 10,000.";
        var subscribers = NumberOptions.Int("--subscribers", "-k", 1, 1_000, 1);
        subscribers.Description = "Subscribers fed at once by the stream workload; 1 to 1,000.";
        var durability = new Option<string>("--durability") { Description = "full (fsync every commit) or relaxed (survives an app crash, not a power loss).", DefaultValueFactory = _ => "full" };
        durability.AcceptOnlyFromAmong("full", "relaxed");
        var json = new Option<bool>("--json") { Description = "Print exactly one JSON object with the figures." };
        var (snapshotEvery, snapshotCodec) = BenchmarkSnapshotOptions.Create();

        var encryptFields = new Option<int>("--encrypt-fields")
        {
            Description = "append-batch and load-aggregate: encrypt this many fields of each event (1 to 5) for one of 10,000 data subjects.",
            HelpName = "n",
        };

        var telemetry = new Option<string>("--telemetry")
        {
            Description = "Who listens to Eventuali's traces and metrics during the run: off (nobody), listener (bare .NET listeners taking everything) or sdk (the OpenTelemetry SDK recording everything and exporting it to an exporter that drops it).",
            DefaultValueFactory = _ => "off",
        };
        telemetry.AcceptOnlyFromAmong(BenchmarkTelemetry.Modes);

        var command = new Command("benchmark", "Measure one workload on a real store and print the figures of that run.")
        {
            database, workload, events, batch, concurrency, subscribers, durability, json, snapshotEvery, snapshotCodec, encryptFields, telemetry,
        };
        var load = new LoadTestMode();
        load.AddTo(command);
        command.SetAction(async (parse, ct) =>
        {
            if (load.IsRequested(parse))
            {
                return await load.RunAsync(parse, io, database, concurrency, batch, durability, json, ct).ConfigureAwait(false);
            }

            var workloadName = parse.GetValue(workload) ?? throw new UsageException("benchmark needs --workload W, or --duration and --events-per-second for a load test.");
            if (!BenchmarkWorkloads.TryParse(workloadName, out var w))
            {
                throw new UsageException($"Unknown workload '{workloadName}'; expected one of {string.Join(", ", BenchmarkWorkloads.All)}.");
            }

            var options = new BenchmarkOptions
            {
                Workload = w,
                Events = parse.GetValue(events),
                BatchSize = parse.GetValue(batch),
                Concurrency = parse.GetValue(concurrency),
                Subscribers = parse.GetValue(subscribers),
                Durability = parse.GetValue(durability) == "relaxed" ? Durability.Relaxed : Durability.Full,
                DatabaseUrl = parse.GetValue(database),
                Progress = io.ErrorIsTerminal ? new Progress(io.Error) : null,
                SnapshotEvery = parse.GetValue(snapshotEvery),
                SnapshotCodec = BenchmarkSnapshotOptions.Codec(parse.GetValue(snapshotCodec)),
                EncryptFields = parse.GetValue(encryptFields),
            };
            try
            {
                options.Validate();
            }
            catch (ArgumentException ex)
            {
                throw new UsageException(ex.Message.Split(" (Parameter", 2)[0]);
            }

            BenchmarkResult result;
            using (BenchmarkTelemetry.Start(parse.GetValue(telemetry) ?? "off"))
            {
                result = await BenchmarkRunner.RunAsync(options, ct).ConfigureAwait(false);
            }

            if (options.DatabaseUrl is not null)
            {
                await io.Error.WriteLineAsync("database: " + result.Database).ConfigureAwait(false);
            }

            await io.Out.WriteLineAsync(parse.GetValue(json) ? ToJson(result) : Summary(result, options)).ConfigureAwait(false);
            return ExitCodes.Success;
        });
        return command;
    }

    /// <summary>The one JSON object of --json, with exactly the documented snake_case keys.</summary>
    internal static string ToJson(BenchmarkResult r)
    {
        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer, Cli.Json.WriterOptions))
        {
            w.WriteStartObject();
            w.WriteString("workload", r.Workload);
            w.WriteString("backend", r.Backend);
            w.WriteNumber("events", r.Events);
            w.WriteNumber("seconds", Math.Round(r.Seconds, 6));
            w.WriteNumber("events_per_sec", Math.Round(r.EventsPerSecond, 1));
            w.WriteNumber("p50_ms", Math.Round(r.P50Milliseconds, 4));
            w.WriteNumber("p99_ms", Math.Round(r.P99Milliseconds, 4));
            w.WriteNumber("peak_working_set_mb", Math.Round(r.PeakWorkingSetMegabytes, 1));
            if (r.CatchUpEventsPerSecond is { } catchUp)
            {
                w.WriteNumber("catchup_events_per_sec", Math.Round(catchUp, 1));
            }

            w.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
    }

    internal static string Summary(BenchmarkResult r, BenchmarkOptions o)
    {
        var c = CultureInfo.InvariantCulture;
        var sb = new StringBuilder();
        sb.Append(c, $"Workload     {r.Workload}").AppendLine();
        sb.Append(c, $"Backend      {r.Backend} ({r.Database})").AppendLine();
        sb.Append(c, $"Durability   {o.Durability}").AppendLine();
        sb.Append(c, $"Events       {r.Events:N0}");
        if (r.AveragePayloadBytes > 0)
        {
            sb.Append(c, $" (payload {r.AveragePayloadBytes:N0} bytes of JSON on average)");
        }

        sb.AppendLine();
        sb.Append(c, $"Elapsed      {r.Seconds:N3} s").AppendLine();
        sb.Append(c, $"Throughput   {r.EventsPerSecond:N0} events/s").AppendLine();
        if (r.CatchUpEventsPerSecond is { } catchUp)
        {
            sb.Append(c, $"Catch-up     {catchUp:N0} events/s").AppendLine();
        }

        sb.Append(c, $"Latency      p50 {r.P50Milliseconds:N3} ms, p99 {r.P99Milliseconds:N3} ms, mean {r.MeanMilliseconds:N3} ms per {r.LatencyUnit} ({r.LatencySamples:N0} samples)").AppendLine();
        sb.Append(c, $"Peak memory  {r.PeakWorkingSetMegabytes:N1} MiB ({r.PeakMemorySource})");
        return sb.ToString();
    }

    private sealed class Progress(TextWriter error) : IProgress<string>
    {
        public void Report(string value) => error.WriteLine("... " + value);
    }
}
