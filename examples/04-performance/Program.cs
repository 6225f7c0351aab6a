// Example 04: the benchmark workloads through BenchmarkRunner on fresh temporary SQLite files, with modest
// event counts so it finishes in seconds. Every figure in the table is measured in this run.
// One-event appends at Durability.Full wait for an fsync each, so they run with fewer events.
using System.Globalization;
using Eventuali;
using Eventuali.Benchmarking;

(BenchmarkWorkload Workload, int Events, Durability Durability)[] runs =
[
    (BenchmarkWorkload.AppendBatch, 20_000, Durability.Full),
    (BenchmarkWorkload.AppendSingle, 2_000, Durability.Full),
    (BenchmarkWorkload.AppendSingle, 10_000, Durability.Relaxed),
    (BenchmarkWorkload.AppendConcurrent, 5_000, Durability.Full),
    (BenchmarkWorkload.LoadAggregate, 20_000, Durability.Full),
    (BenchmarkWorkload.ReadAll, 20_000, Durability.Full),
];

try
{
    Console.WriteLine("Eventuali benchmark workloads on fresh temporary SQLite files (each deleted after its run).");
    Console.WriteLine("Events are ~140-byte JSON deposits with a correlation id, written through the typed layer; 50 events per stream.");
    Console.WriteLine();
    var c = CultureInfo.InvariantCulture;
    Console.WriteLine($"{"workload",-18} {"durability",-10} {"events",8} {"seconds",8} {"events/s",10} {"p50 ms",8} {"p99 ms",8} {"peak MiB",9}  latency sample");
    var results = new List<BenchmarkResult>();
    foreach (var (workload, events, durability) in runs)
    {
        var result = await BenchmarkRunner.RunAsync(new BenchmarkOptions { Workload = workload, Events = events, Durability = durability });
        if (result.Events != events || result.EventsPerSecond <= 0 || result.Backend != "sqlite")
        {
            throw new InvalidOperationException($"{result.Workload} reported {result.Events} events at {result.EventsPerSecond} events/s on {result.Backend}.");
        }

        results.Add(result);
        Console.WriteLine(string.Create(c, $"{result.Workload,-18} {durability,-10} {result.Events,8:N0} {result.Seconds,8:N3} {result.EventsPerSecond,10:N0} {result.P50Milliseconds,8:N3} {result.P99Milliseconds,8:N3} {result.PeakWorkingSetMegabytes,9:N1}  {result.LatencyUnit}"));
    }

    Console.WriteLine();
    Console.WriteLine($"Peak memory: {results[^1].PeakMemorySource}.");
    Console.WriteLine("For larger runs: eventuali benchmark --workload append-batch --events 200000 (see docs/cli.md).");
    Console.WriteLine("Example 04 finished.");
    return 0;
}
catch (Exception ex)
{
    Console.Error.WriteLine($"Example 04 FAILED: {ex.GetType().Name}: {ex.Message}");
    return 1;
}
