using System.Diagnostics;
using Eventuali.Import;
using Eventuali.Subscriptions;
using static Eventuali.ServerBench.Stats;

namespace Eventuali.ServerBench;

/// <summary>
/// One SSE client: catching up on a pre-filled log (/subscribe/all from its first position, every frame parsed), and
/// live (subscribed at the end while HTTP writers append).
/// </summary>
internal static class SseBench
{
    public sealed record Result(string Store, long Events, double CatchUp, double InProcess, double MegabytesPerSecond, long LiveEvents, double Live, double LiveAppend);

    public static async Task<Result> RunAsync(string label, IEventStore store, ServerProcess server, int events, int runs, int liveEvents, int writers)
    {
        var first = await store.GetHeadPositionAsync() + 1;
        await FillAsync(store, events);
        var head = await store.GetHeadPositionAsync();
        using var http = server.Client();
        var rates = new List<double>();
        var throughput = new List<double>();
        var local = new List<double>();

        // One untimed run of each first (with more than one run): the JIT's tiers and the pools settle.
        for (var r = runs > 1 ? -1 : 0; r < runs; r++)
        {
            local.Add(await InProcessAsync(store, first, head, events));
            var reader = new SseReader(events);
            var clock = Stopwatch.StartNew();
            using (var response = await http.GetAsync(new Uri($"subscribe/all?from={first}", UriKind.Relative), HttpCompletionOption.ResponseHeadersRead))
            {
                response.EnsureSuccessStatusCode();
                await using var body = await response.Content.ReadAsStreamAsync();
                await reader.ReadAsync(body, CancellationToken.None);
            }

            clock.Stop();
            // Positions may have gaps (PostgreSQL's do), so the check is the count and the last position.
            if (reader.LastId != head)
            {
                throw new InvalidOperationException($"The catch-up ended at position {reader.LastId}, not at the head {head}.");
            }

            rates.Add(events / clock.Elapsed.TotalSeconds);
            throughput.Add(reader.Bytes / 1048576.0 / clock.Elapsed.TotalSeconds);
            Console.WriteLine(F($"  {label} SSE catch-up {(r < 0 ? "warm-up" : "run " + (r + 1))}: {events:N0} events in {clock.Elapsed.TotalSeconds:F2} s = {rates[^1]:N0} events/s, {throughput[^1]:F1} MB/s; in process {local[^1]:N0} events/s (load {LoadAverage()})"));
            if (r < 0)
            {
                rates.Clear();
                throughput.Clear();
                local.Clear();
            }
        }

        var (liveTotal, live, append) = await LiveAsync(http, liveEvents, writers);
        Console.WriteLine(F($"  {label} SSE live: {liveTotal:N0} events appended over HTTP at {append:N0} events/s, delivered at {live:N0} events/s (load {LoadAverage()})"));
        return new Result(label, events, Median(rates), Median(local), Median(throughput), liveTotal, live, append);
    }

    /// <summary>The same catch-up in process: the store's SubscribeToAllAsync from the same position to the head.</summary>
    private static async Task<double> InProcessAsync(IEventStore store, long first, long head, int events)
    {
        using var done = new CancellationTokenSource();
        var clock = Stopwatch.StartNew();
        long count = 0;
        await foreach (var e in store.SubscribeToAllAsync(first - 1, null, done.Token))
        {
            count++;
            if (e.Position >= head)
            {
                break;
            }
        }

        clock.Stop();
        return count == events ? events / clock.Elapsed.TotalSeconds : throw new InvalidOperationException($"In process, the catch-up read {count} events, not {events}.");
    }

    /// <summary>The log pre-filled through the bulk import path: batches of 1,000 events over 100 streams.</summary>
    private static async Task FillAsync(IEventStore store, int events)
    {
        var importer = store.GetFeature<IEventImporter>() ?? throw new InvalidOperationException("The store has no bulk import (IEventImporter).");
        var clock = Stopwatch.StartNew();
        var at = store.Options.TimeProvider.GetUtcNow();
        for (var written = 0; written < events; written += 1000)
        {
            var batch = Enumerable.Range(0, Math.Min(1000, events - written) / Workload.BatchSize).SelectMany(i => Workload.Batch(written + i * Workload.BatchSize)).ToArray();
            await importer.ImportAsync($"fill-{written / 1000 % 100}", ExpectedVersion.Any, batch, at);
        }

        Console.WriteLine(F($"  pre-filled {events:N0} events in {clock.Elapsed.TotalSeconds:F1} s"));
    }

    /// <summary>Subscribed at the end, then <paramref name="writers"/> HTTP writers append: the delivery rate over the whole run.</summary>
    private static async Task<(long Events, double Delivered, double Appended)> LiveAsync(HttpClient http, int wanted, int writers)
    {
        var perWriter = Math.Max(1, wanted / writers / Workload.BatchSize);
        var events = perWriter * writers * Workload.BatchSize;
        var reader = new SseReader(events);
        using var response = await http.GetAsync(new Uri("subscribe/all?from=end", UriKind.Relative), HttpCompletionOption.ResponseHeadersRead);
        response.EnsureSuccessStatusCode();
        await using var body = await response.Content.ReadAsStreamAsync();
        var clock = Stopwatch.StartNew();
        var reading = reader.ReadAsync(body, CancellationToken.None);
        var bodies = Enumerable.Range(0, 16).Select(i => Workload.Body(i * Workload.BatchSize)).ToArray();
        await Task.WhenAll(Enumerable.Range(0, writers).Select(async w =>
        {
            for (var b = 0; b < perWriter; b++)
            {
                await Workload.PostAsync(http, $"live-{w}", bodies[b % bodies.Length]);
            }
        }));
        var appended = clock.Elapsed;
        await reading.WaitAsync(TimeSpan.FromMinutes(2));
        return (events, events / clock.Elapsed.TotalSeconds, events / appended.TotalSeconds);
    }
}
