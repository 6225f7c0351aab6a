using System.Diagnostics;

namespace Eventuali.ScaleBench;

/// <summary>
/// Leader takeover: N nodes share the partitions while a writer keeps appending; the leader of partition 0 is
/// SIGKILLed, and the time is measured from the kill until a partition it led has its checkpoint moving again under
/// another node (the first of its partitions, and all of them). Once with the default lease settings, once with a
/// short lease.
/// </summary>
internal static class TakeoverRun
{
    public static async Task<int> RunAsync(string adminUrl, string url, int runs, int nodeCount)
    {
        await Bench.ResetAsync(adminUrl);
        await using var store = await EventStore.CreateAsync(url, EventStoreOptions.Default);
        var settings = new (string Label, TimeSpan Lease, TimeSpan Retry)[]
        {
            ("default (lease 8 s, retry 1 s)", Projections.LeaseOptions.Default.Duration, TimeSpan.FromSeconds(1)),
            ("short (lease 2 s, retry 0.25 s)", TimeSpan.FromSeconds(2), TimeSpan.FromMilliseconds(250)),
        };
        foreach (var (label, lease, retry) in settings)
        {
            var first = new List<double>();
            var all = new List<double>();
            for (var run = 1; run <= runs; run++)
            {
                var load = Bench.Load();
                var (f, a) = await OnceAsync(store, url, $"takeover-{(int)lease.TotalSeconds}s-r{run}", nodeCount, lease, retry);
                first.Add(f);
                all.Add(a);
                Console.WriteLine($"{label}, run {run}: first partition moving again {f:F2} s after the kill, all of the victim's {a:F2} s ({load})");
            }

            Console.WriteLine($"{label}: median first {Bench.Median(first):F2} s, all {Bench.Median(all):F2} s over {runs} runs, {nodeCount} nodes ({Bench.Load()})");
        }

        return 0;
    }

    private static async Task<(double First, double All)> OnceAsync(IEventStore store, string url, string projection, int nodeCount, TimeSpan lease, TimeSpan retry)
    {
        var nodes = new Dictionary<string, Process>();
        using var stopWriting = new CancellationTokenSource();
        var writing = Task.CompletedTask;
        try
        {
            for (var i = 1; i <= nodeCount; i++)
            {
                nodes[$"node-{i}"] = await Node.StartAsync(url, projection, $"node-{i}", lease, retry);
            }

            foreach (var node in nodes.Values)
            {
                Node.Go(node);
            }

            writing = WriteAsync(store, stopWriting.Token);
            // Steady state: every node runs partitions and every partition has caught up with the head of a moment ago.
            await Bench.WaitAsync(async () => await Bench.PartitionsAsync(store, projection) is { Count: BenchProjection.PartitionCount } p && p.Values.Select(s => s.Owner).Distinct().Count() == nodeCount, "the nodes share the partitions", TimeSpan.FromSeconds(120));
            var head = await store.GetHeadPositionAsync();
            await Bench.WaitAsync(async () => (await Bench.PartitionsAsync(store, projection)).Values.All(s => s.Position >= head), "the partitions caught up", TimeSpan.FromSeconds(120));

            var before = await Bench.PartitionsAsync(store, projection);
            var victim = before[0].Owner!;
            var led = before.Where(p => p.Value.Owner == victim).ToDictionary(p => p.Key, p => p.Value.Position);
            nodes[victim].Kill();
            var clock = Stopwatch.StartNew();
            await nodes[victim].WaitForExitAsync();
            var moved = new Dictionary<int, double>();
            await Bench.WaitAsync(async () =>
            {
                foreach (var (partition, status) in await Bench.PartitionsAsync(store, projection))
                {
                    if (led.TryGetValue(partition, out var at) && !moved.ContainsKey(partition) && status.Owner != victim && status.Position > at)
                    {
                        moved[partition] = clock.Elapsed.TotalSeconds;
                    }
                }

                return moved.Count == led.Count;
            }, "the victim's partitions move again", TimeSpan.FromSeconds(120), everyMs: 10);
            nodes.Remove(victim, out var dead);
            dead!.Dispose();
            return (moved.Values.Min(), moved.Values.Max());
        }
        finally
        {
            await stopWriting.CancelAsync();
            await writing;
            foreach (var node in nodes.Values)
            {
                _ = Node.Stop(node);
            }
        }
    }

    /// <summary>A steady trickle of appends (about 100 events/s over 400 streams), so a partition's checkpoint moves whenever it has a leader.</summary>
    private static async Task WriteAsync(IEventStore store, CancellationToken stop)
    {
        var n = 0;
        while (!stop.IsCancellationRequested)
        {
            await store.AppendAsync($"account-{n % 400}", ExpectedVersion.Any, [Bench.Event(n)], CancellationToken.None);
            n++;
            try
            {
                await Task.Delay(10, stop);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }
}
