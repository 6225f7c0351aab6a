using System.Diagnostics;
using System.Globalization;
using System.Text;
using Eventuali;
using Eventuali.Bench;
using Eventuali.Parquet;
using Eventuali.Sqlite;
using Eventuali.Tools.Analytics;

// Throughput of the developer tools' two hot paths, in process:
//   Eventuali.DevToolsBench fill <sqlite file> <events>      a store of <events> events (3 categories, 10,000 streams, batches of 1,000)
//   Eventuali.DevToolsBench parquet <sqlite file> <dir> [rows per row group]   two full Parquet exports, into <dir> and <dir>-warm (neither may hold a checkpoint)
//   Eventuali.DevToolsBench read <sqlite file>               only reading the store's log (the floor under the export)
//   Eventuali.DevToolsBench windows <events>                 tumbling and sliding windowed aggregation over <events> synthetic events
static string Rate(long n, TimeSpan t) => (n / t.TotalSeconds).ToString("N0", CultureInfo.InvariantCulture);

// CPU seconds of the whole process and of its three busiest threads (Linux /proc; user + system): on a machine shared
// with other work the wall time varies severalfold, while the busiest thread's CPU bounds the wall time a quiet
// machine would need.
static string ThreadCpu()
{
    var top = ProcStat.Threads().Take(3).Select(t => string.Create(CultureInfo.InvariantCulture, $"{t.Seconds:F2}")).ToList();
    var process = $"cpu {ProcStat.ProcessSeconds():F2} s";
    return top.Count == 0 ? process : $"{process}, busiest threads {string.Join(" / ", top)} s";
}

switch (args)
{
    case ["fill", var file, var countText] when int.TryParse(countText, CultureInfo.InvariantCulture, out var count):
    {
        await using var store = await SqliteEventStore.OpenAsync(file, EventStoreOptions.Default with { Durability = Durability.Relaxed });
        string[] categories = ["account", "order", "payment"];
        var batch = new EventData[1000];
        var clock = Stopwatch.StartNew();
        for (var written = 0; written < count; written += batch.Length)
        {
            var stream = $"{categories[written / 1000 % 3]}-{written / 1000 % 10_000}";
            for (var i = 0; i < batch.Length; i++)
            {
                var json = $"{{\"amount\":{(written + i) % 500},\"note\":\"deposit {written + i}\",\"currency\":\"EUR\"}}";
                batch[i] = new EventData(EventData.NewEventId(), "money-deposited", Encoding.UTF8.GetBytes(json), new EventMetadata("corr-" + (written / 1000)), ContentTypes.Json);
            }

            await store.AppendAsync(stream, ExpectedVersion.Any, batch);
        }

        Console.WriteLine($"filled {count:N0} events in {clock.Elapsed.TotalSeconds:F1} s");
        return 0;
    }

    case ["parquet", var file, var dir, ..] when args.Length <= 4:
    {
        // Two exports in one process: the first is what a fresh process (a nightly CLI run) pays, JIT included; the
        // second, into a sibling directory, is the steady state of a long-running host.
        await using var store = await SqliteEventStore.OpenAsync(file, EventStoreOptions.Default);
        var rowGroup = args.Length == 4 ? int.Parse(args[3], CultureInfo.InvariantCulture) : 100_000;
        foreach (var (label, target) in new[] { ("first (cold process)", dir), ("second (warm process)", dir.TrimEnd('/') + "-warm") })
        {
            var clock = Stopwatch.StartNew();
            var result = await ParquetExport.ExportAsync(store, new ParquetExportOptions(target) { RowGroupSize = rowGroup });
            clock.Stop();
            var bytes = result.Files.Sum(f => new FileInfo(f).Length);
            Console.WriteLine($"parquet export, {label}: {result.Events:N0} events, {result.Files.Count} files, {bytes / 1e6:F1} MB in {clock.Elapsed.TotalSeconds:F2} s = {Rate(result.Events, clock.Elapsed)} events/s");
        }

        Console.WriteLine(ThreadCpu());
        return 0;
    }

    case ["read", var file]:
    {
        // The floor under the export: reading the same events and nothing else.
        await using var store = await SqliteEventStore.OpenAsync(file, EventStoreOptions.Default);
        var clock = Stopwatch.StartNew();
        long n = 0;
        await foreach (var e in store.ReadAllAsync())
        {
            n += e.Data.Length > 0 ? 1 : 0;
        }

        Console.WriteLine($"read only: {n:N0} events in {clock.Elapsed.TotalSeconds:F2} s = {Rate(n, clock.Elapsed)} events/s");
        return 0;
    }

    case ["windows", var countText] when int.TryParse(countText, CultureInfo.InvariantCulture, out var count):
    {
        var start = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
        string[] keys = ["account", "order", "payment", "shipment", "invoice"];
        foreach (var (name, spec) in new[] { ("tumbling 1 min", WindowSpec.Tumbling(TimeSpan.FromMinutes(1))), ("sliding 1 min / 10 s", WindowSpec.Sliding(TimeSpan.FromMinutes(1), TimeSpan.FromSeconds(10))) })
        {
            for (var round = 0; round < 2; round++) // the first round warms up the JIT
            {
                long closed = 0;
                var windows = new WindowedAggregation<string>(spec, TimeSpan.FromSeconds(5), _ => closed++);
                var clock = Stopwatch.StartNew();
                for (var i = 0; i < count; i++)
                {
                    // 1,000 events per second of event time, about 1 in 100 arriving up to 3 s late.
                    var at = start.AddTicks(i * TimeSpan.TicksPerMillisecond - (i % 100 == 0 ? 3 * TimeSpan.TicksPerSecond : 0));
                    windows.Add(keys[i % keys.Length], at, i % 500);
                }

                windows.Flush();
                clock.Stop();
                if (round == 1)
                {
                    Console.WriteLine($"windowed aggregation, {name}: {count:N0} events, {closed:N0} windows closed, {windows.LateEvents:N0} late, {clock.Elapsed.TotalSeconds:F2} s = {Rate(count, clock.Elapsed)} events/s");
                }
            }
        }

        return 0;
    }

    default:
        Console.Error.WriteLine("usage: Eventuali.DevToolsBench fill <sqlite file> <events> | parquet <sqlite file> <dir> | windows <events>");
        return 2;
}
