using Eventuali;
using System.Globalization;
using Eventuali.RelayBench;
using Eventuali.Sqlite;
using static Eventuali.RelayBench.Stats;

// Relay throughput and end-to-end latency per broker on loopback, against each broker's own publish ceiling:
//   Eventuali.RelayBench [throughput|latency|all] [--brokers nats,redis,rabbitmq] [--events 200000] [--batch 1000] [--window 4]
//                        [--runs 3] [--rate 1000] [--seconds 10] [--durability relaxed|full]
// The brokers are the ones scripts/brokers.sh starts (EVENTUALI_NATS_URL, EVENTUALI_REDIS_URL, EVENTUALI_RABBITMQ_URL).
var mode = args.Length > 0 && !args[0].StartsWith("--", StringComparison.Ordinal) ? args[0] : "all";
var options = new Dictionary<string, string>(StringComparer.Ordinal);
for (var i = mode == "all" && (args.Length == 0 || args[0].StartsWith("--", StringComparison.Ordinal)) ? 0 : 1; i < args.Length; i += 2)
{
    if (!args[i].StartsWith("--", StringComparison.Ordinal) || i + 1 >= args.Length)
    {
        return Usage($"'{args[i]}' is not an option with a value");
    }

    options[args[i][2..]] = args[i + 1];
}

if (mode is not ("throughput" or "latency" or "all"))
{
    return Usage($"unknown mode '{mode}'");
}

int Number(string name, int fallback) => options.TryGetValue(name, out var text)
    ? int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n > 0 ? n : throw new ArgumentException($"--{name} must be a positive whole number, not '{text}'.")
    : fallback;

int events, batch, window, runs, rate, seconds;
Durability durability;
string[] brokers;
try
{
    events = Number("events", 200_000);
    batch = Number("batch", 1000);
    window = Number("window", 4);
    runs = Number("runs", 3);
    rate = Number("rate", 1000);
    seconds = Number("seconds", 10);
    durability = options.GetValueOrDefault("durability", "relaxed") switch
    {
        "relaxed" => Durability.Relaxed,
        "full" => Durability.Full,
        var other => throw new ArgumentException($"--durability must be relaxed or full, not '{other}'"),
    };
    brokers = (options.GetValueOrDefault("brokers") ?? "nats,redis,rabbitmq").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
    foreach (var known in options.Keys.Except(["events", "batch", "window", "runs", "rate", "seconds", "brokers", "durability"]))
    {
        throw new ArgumentException($"unknown option --{known}");
    }
}
catch (ArgumentException ex)
{
    return Usage(ex.Message);
}

using var cancel = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    cancel.Cancel();
};
var ct = cancel.Token;
var dir = Path.Combine(Path.GetTempPath(), "eventuali-relaybench-" + Environment.ProcessId.ToString(CultureInfo.InvariantCulture));
Directory.CreateDirectory(dir);
try
{
    Console.WriteLine(Format($"relay benchmark: mode {mode}, brokers {string.Join(",", brokers)}, {events:N0} events, batch {batch}, {window} batches in flight, {runs} runs, latency at {rate}/s for {seconds} s ({durability} appends); {Environment.ProcessorCount} cores, load {LoadAverage()}"));
    var throughput = new List<(string Broker, ThroughputResult[] Runs)>();
    var latency = new List<(string Broker, LatencyResult[] Runs)>();
    IEventStore? filled = null;
    List<Eventuali.Messaging.OutboundMessage>? messages = null;
    if (mode is "throughput" or "all")
    {
        var file = Path.Combine(dir, "filled.db");
        var clock = System.Diagnostics.Stopwatch.StartNew();
        await Workload.FillAsync(file, events, ct);
        filled = await SqliteEventStore.OpenAsync(file, EventStoreOptions.Default, ct);
        messages = await Workload.MessagesAsync(filled, ct);
        Console.WriteLine(Format($"store filled with {events:N0} events in {clock.Elapsed.TotalSeconds:F1} s"));
    }

    foreach (var name in brokers)
    {
        await using var broker = await Brokers.ConnectAsync(name, ct);
        if (filled is not null && messages is not null)
        {
            var results = new ThroughputResult[runs];
            for (var r = 0; r < runs; r++)
            {
                results[r] = await Throughput.RunAsync(broker, filled, messages, batch, window, ct);
                Console.WriteLine(Format($"  {name} throughput run {r + 1}: relay {results[r].RelayRate:N0} events/s, raw publish {results[r].RawRate:N0} events/s, ratio {results[r].Ratio:P0}; CPU per event relay {results[r].RelayCpuMicros:F1} us, raw {results[r].RawCpuMicros:F1} us; broker CPU per event relay {results[r].BrokerRelayMicros:F1} us, raw {results[r].BrokerRawMicros:F1} us (load {results[r].Load})"));
            }

            throughput.Add((name, results));
        }

        if (mode is "latency" or "all")
        {
            var results = new LatencyResult[runs];
            for (var r = 0; r < runs; r++)
            {
                results[r] = await Latency.RunAsync(broker, dir, rate, seconds, durability, ct);
                Console.WriteLine(Format($"  {name} latency run {r + 1}: p50 {results[r].P50:F2} ms, p99 {results[r].P99:F2} ms, max {results[r].Max:F1} ms (commit -> broker confirm p50 {results[r].RelayP50:F2} ms, p99 {results[r].RelayP99:F2} ms) over {results[r].Count:N0} events appended at {results[r].AppendRate:N0}/s (load {results[r].Load})"));
            }

            latency.Add((name, results));
        }
    }

    if (filled is not null)
    {
        await filled.DisposeAsync();
    }

    Report.Print(throughput, latency, runs);
    Console.WriteLine(ThreadCpu());
    return 0;
}
finally
{
    try
    {
        Directory.Delete(dir, recursive: true);
    }
    catch (IOException)
    {
        // A store file still held open; the temporary directory keeps it.
    }
}

static int Usage(string problem)
{
    Console.Error.WriteLine($"Eventuali.RelayBench: {problem}.");
    Console.Error.WriteLine("usage: Eventuali.RelayBench [throughput|latency|all] [--brokers nats,redis,rabbitmq] [--events 200000] [--batch 1000] [--window 4] [--runs 3] [--rate 1000] [--seconds 10] [--durability relaxed|full]");
    return 2;
}
