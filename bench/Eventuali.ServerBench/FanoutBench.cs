using System.Diagnostics;
using static Eventuali.ServerBench.Stats;

namespace Eventuali.ServerBench;

/// <summary>
/// Many SSE clients on one server while one HTTP writer appends: every client must receive every event (count and
/// growing ids checked), and the server's memory is sampled before, while connected, during delivery and after.
/// </summary>
internal static class FanoutBench
{
    public sealed record Result(string Store, int Clients, long Events, double Seconds, Memory Before, Memory Connected, Memory PeakDuring, Memory Half, Memory End, Memory AfterDelivered, Memory AfterDisconnect)
    {
        public double Deliveries => Clients * (double)Events / Seconds;
    }

    public static async Task<Result> RunAsync(string label, ServerProcess server, int clients, int wanted)
    {
        var batches = Math.Max(1, wanted / Workload.BatchSize);
        var events = batches * Workload.BatchSize;
        var before = await server.MemoryAsync(collect: true);
        using var http = server.Client();
        using var stop = new CancellationTokenSource();
        var readers = new SseReader[clients];
        var responses = new HttpResponseMessage[clients];
        var streams = new Stream[clients];

        // Connected a hundred at a time: a thousand handshakes at once on two cores only measure the accept queue.
        for (var i = 0; i < clients; i += 100)
        {
            await Task.WhenAll(Enumerable.Range(i, Math.Min(100, clients - i)).Select(async c =>
            {
                responses[c] = await http.GetAsync(new Uri("subscribe/all?from=end", UriKind.Relative), HttpCompletionOption.ResponseHeadersRead);
                responses[c].EnsureSuccessStatusCode();
                streams[c] = await responses[c].Content.ReadAsStreamAsync();
                readers[c] = new SseReader(events);
            }));
        }

        var connected = await server.MemoryAsync(collect: true);
        Console.WriteLine(F($"  {label}: {clients:N0} SSE clients connected; server {connected}"));
        var reading = Enumerable.Range(0, clients).Select(c => Task.Run(() => readers[c].ReadAsync(streams[c], stop.Token))).ToArray();
        var all = Task.WhenAll(reading);
        var samples = new List<(long Delivered, Memory Memory)>();
        var clock = Stopwatch.StartNew();
        var writing = Task.Run(async () =>
        {
            var bodies = Enumerable.Range(0, 16).Select(i => Workload.Body(i * Workload.BatchSize)).ToArray();
            long last = 0;
            for (var b = 0; b < batches; b++)
            {
                last = await Workload.PostAsync(http, "fanout", bodies[b % bodies.Length]);
            }

            return last;
        });

        // Sampled while the events flow; the delivered count says how far along each sample was.
        using var deadline = new CancellationTokenSource(TimeSpan.FromMinutes(5));
        while (!all.IsCompleted && !deadline.IsCancellationRequested)
        {
            await Task.WhenAny(all, Task.Delay(250));
            samples.Add((readers.Sum(r => r.Count), await server.MemoryAsync()));
        }

        var last = await writing;
        if (!all.IsCompleted)
        {
            var short_ = readers.Count(r => r.Count < events);
            await stop.CancelAsync();
            throw new InvalidOperationException($"{short_} of {clients} SSE clients did not receive all {events} events within 5 minutes.");
        }

        await all;
        clock.Stop();
        var delivered = await server.MemoryAsync(collect: true);
        // Positions may have gaps (PostgreSQL's do): every client has the same count, first and last as the writer's.
        var first = readers[0].FirstId;
        foreach (var r in readers.Where(r => r.Count != events || r.FirstId != first || r.LastId != last))
        {
            throw new InvalidOperationException($"A client received {r.Count} events (positions {r.FirstId}-{r.LastId}), not the {events} appended (ending at {last}).");
        }

        foreach (var response in responses)
        {
            response.Dispose();
        }

        var afterDisconnect = await WhenDisconnectedAsync(server, before, connected);
        var total = (double)clients * events;
        Console.WriteLine(F($"  {label}: every one of {clients:N0} clients received all {events:N0} events in {clock.Elapsed.TotalSeconds:F1} s; server {delivered} after a full GC (load {LoadAverage()})"));
        var half = samples.FirstOrDefault(s => s.Delivered >= total / 2).Memory ?? delivered;
        var end = samples.Count > 0 ? samples[^1].Memory : delivered;
        var peak = samples.Count > 0 ? samples.MaxBy(s => s.Memory.WorkingSet).Memory : delivered;
        return new Result(label, clients, events, clock.Elapsed.TotalSeconds, before, connected, peak, half, end, delivered, afterDisconnect);
    }

    /// <summary>The server's memory once most of what the connections held is released (polled up to 15 s).</summary>
    private static async Task<Memory> WhenDisconnectedAsync(ServerProcess server, Memory before, Memory connected)
    {
        var deadline = Stopwatch.StartNew();
        Memory now;
        do
        {
            now = await server.MemoryAsync(collect: true);
            if (now.Heap <= before.Heap + (connected.Heap - before.Heap) / 4)
            {
                break;
            }

            await Task.Delay(200);
        }
        while (deadline.Elapsed < TimeSpan.FromSeconds(15));
        return now;
    }
}
