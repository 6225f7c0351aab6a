using System.Diagnostics;

using Eventuali.Streaming;

namespace Eventuali.Benchmarking;

/// <summary>
/// Measures the streamer in this process: publishes pre-built events in batches to subscribers that read every
/// event through the public <c>await foreach</c> API (checking order and count), and times it with
/// <see cref="Stopwatch"/>. Building the events is not timed. Uses memory for the events (about 150 bytes each).
/// </summary>
public static class StreamerBenchmark
{
    /// <summary>Publishes <paramref name="events"/> events in batches of <paramref name="batchSize"/> to <paramref name="subscribers"/> in-process subscribers, with the default buffer capacity, and measures delivery.</summary>
    public static Task<StreamerBenchmarkResult> RunAsync(int events, int subscribers, int batchSize, CancellationToken cancellationToken)
        => RunAsync(events, subscribers, batchSize, StreamSubscriptionOptions.DefaultBufferCapacity, cancellationToken);

    /// <summary>Publishes <paramref name="events"/> events in batches of <paramref name="batchSize"/> to <paramref name="subscribers"/> in-process subscribers whose buffers hold <paramref name="bufferCapacity"/> events, and measures delivery.</summary>
    public static async Task<StreamerBenchmarkResult> RunAsync(int events, int subscribers, int batchSize, int bufferCapacity, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(events, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(subscribers, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(batchSize, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(bufferCapacity, 1);

        var all = BuildEvents(events);
        var batches = (events + batchSize - 1) / batchSize;
        var publishedAt = new long[batches];
        var latencies = new long[subscribers][];
        var finishedAt = new long[subscribers];

        // Settle the heap so the run does not pay for promoting the pre-built events.
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
        GC.WaitForPendingFinalizers();

        var streamer = new EventStreamer();
        await using var disposeStreamer = streamer.ConfigureAwait(false);
        var consumers = new Task[subscribers];
        for (var s = 0; s < subscribers; s++)
        {
            var subscription = streamer.Subscribe(new StreamSubscriptionOptions { Name = $"bench-{s + 1}", BufferCapacity = bufferCapacity });
            latencies[s] = new long[batches];
            var slot = s;
            consumers[s] = Task.Run(() => ConsumeAsync(subscription, events, batchSize, publishedAt, latencies[slot], finishedAt, slot, cancellationToken), cancellationToken);
        }

        var gcBefore = Collections();
        var allocatedBefore = GC.GetTotalAllocatedBytes(precise: true);
        var start = Stopwatch.GetTimestamp();
        for (var b = 0; b < batches; b++)
        {
            var offset = b * batchSize;
            var segment = new ArraySegment<RecordedEvent>(all, offset, Math.Min(batchSize, events - offset));
            publishedAt[b] = Stopwatch.GetTimestamp();
            await streamer.PublishAsync(segment, cancellationToken).ConfigureAwait(false);
        }

        var published = Stopwatch.GetTimestamp();
        await Task.WhenAll(consumers).ConfigureAwait(false);
        var end = finishedAt.Max();
        var allocated = GC.GetTotalAllocatedBytes(precise: true) - allocatedBefore;
        var collections = Collections() - gcBefore;

        var rates = finishedAt.Select(f => events / Stopwatch.GetElapsedTime(start, f).TotalSeconds).ToArray();
        var samples = latencies.SelectMany(l => l).Order().ToArray();
        return new StreamerBenchmarkResult(
            events,
            subscribers,
            batchSize,
            bufferCapacity,
            Stopwatch.GetElapsedTime(start, end).TotalSeconds,
            Stopwatch.GetElapsedTime(start, published).TotalSeconds,
            rates,
            Percentile(samples, 0.50),
            Percentile(samples, 0.99),
            samples.Length,
            (double)allocated / events,
            collections,
            samples.Length == 0 ? TimeSpan.Zero : Stopwatch.GetElapsedTime(0, (long)samples.Average(t => (double)t)));
    }

    private static async Task ConsumeAsync(StreamSubscription subscription, int events, int batchSize, long[] publishedAt, long[] latencies, long[] finishedAt, int slot, CancellationToken cancellationToken)
    {
        long count = 0;
        long last = 0;
        var batch = 0;
        var untilNextBatch = 0;
        // Leaving the loop (after the last event, or on error) disposes the enumerator, which ends the subscription.
        await foreach (var e in subscription.WithCancellation(cancellationToken).ConfigureAwait(false))
        {
            if (e.Position <= last)
            {
                throw new InvalidOperationException($"Subscriber {subscription.Name} read position {e.Position} after {last}.");
            }

            last = e.Position;
            if (untilNextBatch-- == 0)
            {
                // The first event of a batch: how long since its publish call began.
                latencies[batch] = Stopwatch.GetTimestamp() - publishedAt[batch];
                batch++;
                untilNextBatch = batchSize - 1;
            }

            if (++count == events)
            {
                break;
            }
        }

        finishedAt[slot] = Stopwatch.GetTimestamp();
        if (count != events)
        {
            throw new InvalidOperationException($"Subscriber {subscription.Name} read {count} of {events} events.");
        }
    }

    private static RecordedEvent[] BuildEvents(int count)
    {
        var streams = Enumerable.Range(1, 1000).Select(i => $"bench-{i}").ToArray();
        var payload = new byte[64];
        var timestamp = TimeProvider.System.GetUtcNow();
        var all = new RecordedEvent[count];
        for (var i = 0; i < count; i++)
        {
            all[i] = new RecordedEvent(streams[i % streams.Length], (i / streams.Length) + 1, i + 1, new Guid(i, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1), "BenchEvent", payload, EventMetadata.Empty, timestamp, ContentTypes.Json);
        }

        return all;
    }

    private static TimeSpan Percentile(long[] sortedTicks, double p)
        => sortedTicks.Length == 0 ? TimeSpan.Zero : Stopwatch.GetElapsedTime(0, sortedTicks[(int)Math.Min(sortedTicks.Length - 1, Math.Ceiling(p * sortedTicks.Length) - 1)]);

    private static int Collections() => GC.CollectionCount(0) + GC.CollectionCount(1) + GC.CollectionCount(2);
}
