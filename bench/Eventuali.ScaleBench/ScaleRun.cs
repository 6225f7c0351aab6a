using System.Diagnostics;
using System.Text.Json.Nodes;
using Eventuali.Projections;

namespace Eventuali.ScaleBench;

/// <summary>
/// Fills the store with N events over many streams, then projects them with 1 node and with 2 nodes (separate
/// processes, default daemon settings), alternating per run so a change of machine load touches both. Time is from
/// "go" (every node has opened the store) until every partition's checkpoint is at the head; each run is checked:
/// the documents count every event exactly once.
/// </summary>
internal static class ScaleRun
{
    private const int EventsPerStream = 20;

    public static async Task<int> RunAsync(string adminUrl, string url, int events, int runs, bool pinned, int rounds)
    {
        await Bench.ResetAsync(adminUrl);
        await using var store = await EventStore.CreateAsync(url, EventStoreOptions.Default);
        var fill = Stopwatch.StartNew();
        await FillAsync(store, events);
        Console.WriteLine($"filled {events:N0} events over {events / EventsPerStream:N0} streams in {fill.Elapsed.TotalSeconds:F1} s; {BenchProjection.PartitionCount} partitions, handler: read + upsert of the stream's document, SHA-256 of the payload{(rounds > 0 ? $" and {rounds:N0} more SHA-256 rounds" : "")}");
        Console.WriteLine(pinned ? $"each node on one core of its own (taskset; {Environment.ProcessorCount} cores, the server unpinned)" : $"nodes unpinned ({Environment.ProcessorCount} cores shared by the nodes and the server)");
        var seconds = new Dictionary<int, List<double>> { [1] = [], [2] = [] };
        for (var run = 1; run <= runs; run++)
        {
            foreach (var nodes in new[] { 1, 2 })
            {
                var load = Bench.Load();
                var (elapsed, server) = await ProjectAsync(store, url, $"scale-r{run}-n{nodes}", nodes, events, pinned, rounds);
                seconds[nodes].Add(elapsed.TotalSeconds);
                Console.WriteLine($"run {run}, {nodes} node(s): {elapsed.TotalSeconds:F2} s = {events / elapsed.TotalSeconds:N0} events/s; PostgreSQL server cpu {server:F2} s ({load})");
            }
        }

        var one = Bench.Median(seconds[1]);
        var two = Bench.Median(seconds[2]);
        Console.WriteLine($"median 1 node: {one:F2} s = {events / one:N0} events/s; 2 nodes: {two:F2} s = {events / two:N0} events/s; 2-node / 1-node = {one / two:F2}x ({Bench.Load()})");
        return 0;
    }

    private static async Task FillAsync(IEventStore store, int events)
    {
        var streams = Math.Max(1, events / EventsPerStream);
        var next = -1;
        // Rounds of 5 events per stream, 8 writers: every stream's events are spread over the log, as in a live system.
        var writers = Enumerable.Range(0, 8).Select(async _ =>
        {
            while (Interlocked.Increment(ref next) is var i && i * 5 < events)
            {
                var count = Math.Min(5, events - i * 5);
                await store.AppendAsync($"account-{i % streams}", ExpectedVersion.Any, [.. Enumerable.Range(i * 5, count).Select(Bench.Event)]);
            }
        });
        await Task.WhenAll(writers);
    }

    private static async Task<(TimeSpan Elapsed, double ServerCpu)> ProjectAsync(IEventStore store, string url, string projection, int nodeCount, int events, bool pinned, int rounds)
    {
        var lease = LeaseOptions.Default.Duration;
        var retry = TimeSpan.FromSeconds(1);
        var nodes = new List<Process>();
        try
        {
            for (var i = 1; i <= nodeCount; i++)
            {
                nodes.Add(await Node.StartAsync(url, projection, $"node-{i}", lease, retry, pinned ? (i - 1) % Environment.ProcessorCount : null, rounds));
            }

            var head = await store.GetHeadPositionAsync();
            var serverCpu = Bench.ServerCpuSeconds();
            var clock = Stopwatch.StartNew();
            nodes.ForEach(Node.Go);
            // Per partition: when a node first saved a position for it, when it reached the head, and who ran it.
            var started = new Dictionary<int, double>();
            var done = new Dictionary<int, double>();
            var owners = new Dictionary<int, List<string>>();
            await Bench.WaitAsync(async () =>
            {
                var now = clock.Elapsed.TotalSeconds;
                var partitions = await Bench.PartitionsAsync(store, projection);
                foreach (var (p, s) in partitions)
                {
                    started.TryAdd(p, now);
                    var seen = owners.TryGetValue(p, out var list) ? list : owners[p] = [];
                    if (seen.Count == 0 || !seen[^1].StartsWith((s.Owner ?? "-") + "@", StringComparison.Ordinal))
                    {
                        seen.Add($"{s.Owner ?? "-"}@{now:F1}");
                    }

                    if (s.Position >= head)
                    {
                        done.TryAdd(p, now);
                    }
                }

                return done.Count == BenchProjection.PartitionCount;
            }, "every partition is at the head", TimeSpan.FromMinutes(10));
            var elapsed = clock.Elapsed;
            // Read before the nodes stop: their backends' CPU is gone from /proc once they exit.
            serverCpu = Bench.ServerCpuSeconds() - serverCpu;
            Console.WriteLine("  " + string.Join("; ", done.OrderBy(d => d.Key).Select(d => $"#{d.Key} {string.Join('>', owners[d.Key])} done@{d.Value:F1}")));
            await VerifyAsync(store, projection, events);
            return (elapsed, serverCpu);
        }
        finally
        {
            Console.WriteLine("  node " + string.Join(", ", nodes.Select(Node.Stop)) + " s");
        }
    }

    private static async Task VerifyAsync(IEventStore store, string projection, int events)
    {
        long counted = 0;
        await foreach (var d in store.GetProjectionStore().ReadProjectionDocumentsAsync(projection))
        {
            counted += JsonNode.Parse(d.Json)!["events"]!.GetValue<int>();
        }

        if (counted != events)
        {
            throw new InvalidOperationException($"Projection {projection} counted {counted} events, the log holds {events}.");
        }
    }
}
