using System.Diagnostics;
using Eventuali.Messaging;
using Eventuali.Sqlite;

namespace Eventuali.RelayBench;

/// <summary>End-to-end latency of one run: append commit (the append returned) to the consumer's handler, in milliseconds.</summary>
internal sealed record LatencyResult(double P50, double P99, double Max, double RelayP50, double RelayP99, int Count, double AppendRate, string Load);

internal static class Latency
{
    /// <summary>
    /// Appends single events at <paramref name="rate"/>/s for one warm-up second (not counted) and <paramref name="seconds"/>
    /// measured seconds into a new store, with the relay and a consumer running, and times each event's way.
    /// </summary>
    public static async Task<LatencyResult> RunAsync(IBrokerBench broker, string dir, int rate, int seconds, Durability durability, CancellationToken ct)
    {
        var load = Stats.LoadAverage();
        var tag = Tags.New();
        var warm = rate;
        var total = warm + rate * seconds;
        var committed = new long[total];
        var handled = new long[total];
        var confirmed = new long[total];
        var handledCount = 0;

        await broker.PrepareAsync(tag, ct).ConfigureAwait(false);
        var store = await SqliteEventStore.OpenAsync(Path.Combine(dir, "latency-" + tag + ".db"), EventStoreOptions.Default with { Durability = durability }, ct).ConfigureAwait(false);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var publisher = new TimedPublisher(await broker.RelayPublisherAsync(ct).ConfigureAwait(false), confirmed);
        Task? consuming = null, relaying = null;
        double appendRate;
        try
        {
            consuming = broker.ConsumeAsync(Workload.LatencyTopic, m =>
            {
                var n = Workload.NumberOf(m.Body.Span);
                if (n < total && Interlocked.CompareExchange(ref handled[n], Stopwatch.GetTimestamp(), 0) == 0)
                {
                    Interlocked.Increment(ref handledCount);
                }
            }, stop.Token);
            var relay = new EventRelay(store, publisher, new RelayRoute("latency-" + tag) { Topic = Workload.LatencyTopic }, new RelayOptions { NodeId = "relay-bench" });
            relaying = relay.RunAsync(stop.Token);

            // Paced: event i is due i/rate seconds after the start; whatever is due is appended at once (a late
            // writer catches up instead of lowering the rate).
            var clock = Stopwatch.StartNew();
            for (var i = 0; i < total;)
            {
                var due = Math.Min(total, (long)(clock.Elapsed.TotalSeconds * rate) + 1);
                if (i >= due)
                {
                    await Task.Delay(1, ct).ConfigureAwait(false);
                    continue;
                }

                for (; i < due; i++)
                {
                    await store.AppendAsync(Workload.StreamOf(i % 300), ExpectedVersion.Any, [Workload.Event(i)], ct).ConfigureAwait(false);
                    committed[i] = Stopwatch.GetTimestamp();
                }
            }

            appendRate = total / clock.Elapsed.TotalSeconds;
            await Tags.WaitUntilAsync(() => Volatile.Read(ref handledCount) >= total, TimeSpan.FromSeconds(60),
                () => $"the {broker.Name} consumer handled {Volatile.Read(ref handledCount)} of {total} events; relay error: {relay.LastError?.Message ?? "none"}", ct).ConfigureAwait(false);
        }
        finally
        {
            await stop.CancelAsync().ConfigureAwait(false);
            if (relaying is not null)
            {
                await relaying.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            }

            if (consuming is not null)
            {
                await consuming.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            }

            await publisher.DisposeAsync().ConfigureAwait(false);
            await store.DisposeAsync().ConfigureAwait(false);
            await broker.CleanupAsync(ct).ConfigureAwait(false);
        }

        // The handler can run before the writer noted the commit (the relay saw it first): that counts as 0 ms.
        var ms = new double[total - warm];
        var relayMs = new double[total - warm];
        for (var i = warm; i < total; i++)
        {
            ms[i - warm] = Math.Max(0, Stopwatch.GetElapsedTime(committed[i], handled[i]).TotalMilliseconds);
            relayMs[i - warm] = Math.Max(0, Stopwatch.GetElapsedTime(committed[i], confirmed[i]).TotalMilliseconds);
        }

        Array.Sort(ms);
        Array.Sort(relayMs);
        return new LatencyResult(Stats.Percentile(ms, 0.5), Stats.Percentile(ms, 0.99), ms[^1], Stats.Percentile(relayMs, 0.5), Stats.Percentile(relayMs, 0.99), ms.Length, appendRate, load + " -> " + Stats.LoadAverage());
    }
}
