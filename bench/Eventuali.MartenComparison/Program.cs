using System.Globalization;
using Eventuali;
using Eventuali.Benchmarking;
using Eventuali.MartenComparison;
using Npgsql;

// Eventuali and Marten, same PostgreSQL server, same workloads, same event counts, same run.
// Usage: dotnet run -c Release --project bench/Eventuali.MartenComparison -- [URL] [events]
var url = args.Length > 0 ? args[0] : Environment.GetEnvironmentVariable("EVENTUALI_TEST_POSTGRES") ?? "postgresql://eventuali:eventuali@127.0.0.1:54329/eventuali";
var events = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 100_000;
var ct = CancellationToken.None;
var connectionString = ConnectionStrings.FromUrl(url);
var schema = $"cmp_eventuali_{Environment.ProcessId}";

var plan = new (BenchmarkWorkload Workload, int Events)[]
{
    (BenchmarkWorkload.AppendBatch, events),
    (BenchmarkWorkload.AppendSingle, Math.Min(events, 2_000)),
    (BenchmarkWorkload.AppendConcurrent, Math.Min(events, 6_400)),
    (BenchmarkWorkload.LoadAggregate, events),
    (BenchmarkWorkload.ReadAll, events),
};

var rows = new List<(string Workload, int Events, BenchmarkResult Ours, Measurement Theirs)>();
await using (var marten = new MartenWorkloads(connectionString))
{
    Console.Error.WriteLine("warming up Marten (untimed)");
    await marten.AppendBatchAsync(1_000, 50, ct);
    await marten.LoadAggregateAsync(1_000, 50, ct);
    await marten.ReadAllAsync(1_000, 4096, ct);
    await marten.AppendSingleAsync(100, ct);

    foreach (var (workload, n) in plan)
    {
        var name = BenchmarkWorkloads.NameOf(workload);
        Console.Error.WriteLine($"{name}: Eventuali ({n} events)");
        var ours = await BenchmarkRunner.RunAsync(new BenchmarkOptions { Workload = workload, Events = n, BatchSize = 50, Concurrency = 32, DatabaseUrl = $"{url}{(url.Contains('?', StringComparison.Ordinal) ? '&' : '?')}schema={schema}_{rows.Count}" }, ct);
        Console.Error.WriteLine($"{name}: Marten ({n} events)");
        var theirs = workload switch
        {
            BenchmarkWorkload.AppendBatch => await marten.AppendBatchAsync(n, 50, ct),
            BenchmarkWorkload.AppendSingle => await marten.AppendSingleAsync(n, ct),
            BenchmarkWorkload.AppendConcurrent => await marten.AppendConcurrentAsync(n, 32, ct),
            BenchmarkWorkload.LoadAggregate => await marten.LoadAggregateAsync(n, 50, ct),
            _ => await marten.ReadAllAsync(n, 4096, ct),
        };
        rows.Add((name, n, ours, theirs));
    }

    await marten.ResetAsync(ct);
}

await using (var dataSource = NpgsqlDataSource.Create(connectionString))
{
    for (var i = 0; i < rows.Count; i++)
    {
        await using var drop = dataSource.CreateCommand($"DROP SCHEMA IF EXISTS {schema}_{i} CASCADE");
        await drop.ExecuteNonQueryAsync(ct);
    }
}

Console.WriteLine("| workload | events | Eventuali events/s | Marten events/s | ratio | Eventuali p50 / p99 ms | Marten p50 / p99 ms |");
Console.WriteLine("|---|---|---|---|---|---|---|");
foreach (var (workload, n, ours, theirs) in rows)
{
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"| {workload} | {n:N0} | {ours.EventsPerSecond:N0} | {theirs.EventsPerSec:N0} | {ours.EventsPerSecond / theirs.EventsPerSec:N1}x | {ours.P50Milliseconds:N2} / {ours.P99Milliseconds:N2} | {theirs.P50Ms:N2} / {theirs.P99Ms:N2} |"));
}
