using System.Globalization;
using Eventuali.MartenComparison;

// The Marten side of the comparison: one workload per process, printing one JSON line in the
// shape `eventuali benchmark --json` prints. scripts/compare-marten.sh runs both stores.
// Usage: Eventuali.MartenComparison <workload> <events> [URL]
var workload = args[0];
var events = int.Parse(args[1], CultureInfo.InvariantCulture);
var url = args.Length > 2 ? args[2] : Environment.GetEnvironmentVariable("EVENTUALI_TEST_POSTGRES") ?? "postgresql://eventuali:eventuali@127.0.0.1:54329/eventuali";
var ct = CancellationToken.None;
await using var marten = new MartenWorkloads(ConnectionStrings.FromUrl(url));
var m = workload switch
{
    "append-batch" => await marten.AppendBatchAsync(events, 50, ct),
    "append-single" => await marten.AppendSingleAsync(events, ct),
    "append-concurrent" => await marten.AppendConcurrentAsync(events, 32, ct),
    "load-aggregate" => await marten.LoadAggregateAsync(events, 50, ct),
    "read-all" => await marten.ReadAllAsync(events, 4096, ct),
    _ => throw new ArgumentException($"Unknown workload '{workload}'; expected append-batch, append-single, append-concurrent, load-aggregate or read-all."),
};
await marten.ResetAsync(ct);
Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
    $$"""{"workload":"{{m.Workload}}","backend":"marten","events":{{m.Events}},"seconds":{{m.Seconds}},"events_per_sec":{{m.EventsPerSec}},"p50_ms":{{m.P50Ms}},"p99_ms":{{m.P99Ms}}}"""));
