using System.Diagnostics;
using Eventuali.Subscriptions;

namespace Eventuali.Benchmarking;

/// <summary>
/// The subscribe workload. Untimed setup writes the events; the timed phase starts a handler subscription from the
/// head before them and measures (1) the catch-up: from the start until the handler has received every setup event,
/// and (2) the live phase: one writer appends single events, each after the handler received the previous one, and
/// each sample is the time from the append being acknowledged (the commit) to the handler receiving that event.
/// </summary>
internal static class SubscribeWorkload
{
    private static readonly TimeSpan LiveTimeout = TimeSpan.FromSeconds(30);

    /// <summary>Live appends: 1% of the events, at least 100 and at most 1,000.</summary>
    public static int LiveEvents(int events) => Math.Clamp(events / 100, 100, 1000);

    public static async Task<BenchmarkResult> RunAsync(IEventStore store, BenchmarkSession session, BenchmarkOptions options, long head, string backend, string database, CancellationToken ct)
    {
        options.Progress?.Report($"setup: writing {options.Events} events (untimed)");
        await session.WriteSetupAsync(ct).ConfigureAwait(false);
        options.Progress?.Report("warm-up: reading the first 5% once (untimed)");
        await session.WarmUpReadsAsync(BenchmarkWorkload.ReadAll, head + 1, ct).ConfigureAwait(false);

        var live = LiveEvents(options.Events);
        var handler = new Receiver(options.Events, live);
        var subscriptionOptions = new SubscriptionOptions
        {
            Name = "benchmark-" + session.RunId,
            StartAfter = head,
            // Saved once a second (and at the end), as a long catch-up would; not per event batch.
            CheckpointEvery = int.MaxValue,
            CheckpointInterval = TimeSpan.FromSeconds(1),
        };

        options.Progress?.Report($"running subscribe (catch-up over {options.Events} events, then {live} live appends)");
        var memory = new PeakMemory();
        memory.Reset();
        var started = Stopwatch.GetTimestamp();
        var subscription = store.StartSubscription(subscriptionOptions, handler.HandleAsync, ct);
        await using (subscription.ConfigureAwait(false))
        {
            await Until(handler.CaughtUp, subscription, "the catch-up", ct).ConfigureAwait(false);
            var catchUpSeconds = Stopwatch.GetElapsedTime(started, handler.CaughtUpAt).TotalSeconds;

            var latency = new LatencyRecorder(live);
            for (var i = 0; i < live; i++)
            {
                var (streamId, e) = session.LiveEvent(i);
                var delivered = handler.Expect(i);
                await store.AppendAsync(streamId, ExpectedVersion.Any, [e], ct).ConfigureAwait(false);
                var acknowledged = Stopwatch.GetTimestamp();
                await Until(delivered, subscription, $"live event {i + 1} of {live}", ct).ConfigureAwait(false);

                // The handler may run before the acknowledgement reaches this writer: that counts as no delay.
                latency.Add(0, Math.Max(0, handler.ArrivedAt(i) - acknowledged));
            }

            var seconds = Stopwatch.GetElapsedTime(started).TotalSeconds;
            await subscription.StopAsync().ConfigureAwait(false);
            var (peakBytes, peakSource) = memory.Read();
            if (subscription.Status.Error is { } error)
            {
                throw new InvalidOperationException($"The benchmark subscription failed: {error.Message}", error);
            }

            var sorted = latency.ToSortedArray();
            var total = (long)options.Events + live;
            return new BenchmarkResult(
                BenchmarkWorkloads.NameOf(BenchmarkWorkload.Subscribe),
                backend,
                total,
                seconds,
                total / seconds,
                LatencyRecorder.PercentileMilliseconds(sorted, 50),
                LatencyRecorder.PercentileMilliseconds(sorted, 99),
                LatencyRecorder.MeanMilliseconds(sorted),
                peakBytes / (1024.0 * 1024.0),
                peakSource,
                "live event, from its append being acknowledged to the handler receiving it",
                sorted.Length,
                session.AveragePayloadBytes,
                database,
                options.Events / catchUpSeconds);
        }
    }

    private static async Task Until(Task reached, CatchUpSubscription subscription, string what, CancellationToken ct)
    {
        var first = await Task.WhenAny(reached, subscription.Completion).WaitAsync(LiveTimeout, ct).ConfigureAwait(false);
        if (first != reached)
        {
            await subscription.Completion.ConfigureAwait(false); // rethrows the subscription's failure
            throw new InvalidOperationException($"The benchmark subscription stopped before {what}.");
        }
    }

    /// <summary>The handler: counts, checks order and payload, and time-stamps the live events.</summary>
    private sealed class Receiver(int catchUpEvents, int liveEvents)
    {
        private readonly TaskCompletionSource _caughtUp = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly long[] _arrivals = new long[liveEvents];
        private TaskCompletionSource? _next;
        private long _received;
        private long _lastPosition;

        public Task CaughtUp => _caughtUp.Task;

        public long CaughtUpAt { get; private set; }

        public long ArrivedAt(int liveIndex) => Volatile.Read(ref _arrivals[liveIndex]);

        /// <summary>Arms the wait for live event <paramref name="liveIndex"/> before it is appended.</summary>
        public Task Expect(int liveIndex)
        {
            var next = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            Volatile.Write(ref _next, next);
            return next.Task;
        }

        public ValueTask HandleAsync(RecordedEvent e, CancellationToken ct)
        {
            if (e.Position <= _lastPosition || e.Data.IsEmpty)
            {
                throw new InvalidOperationException($"Event at position {e.Position} arrived after {_lastPosition} or without its payload.");
            }

            _lastPosition = e.Position;
            var n = ++_received;
            if (n == catchUpEvents)
            {
                CaughtUpAt = Stopwatch.GetTimestamp();
                _caughtUp.TrySetResult();
            }
            else if (n > catchUpEvents)
            {
                var index = (int)(n - catchUpEvents - 1);
                if (index >= _arrivals.Length)
                {
                    throw new InvalidOperationException($"The subscription delivered more events ({n}) than were written.");
                }

                Volatile.Write(ref _arrivals[index], Stopwatch.GetTimestamp());
                Volatile.Read(ref _next)?.TrySetResult();
            }

            return ValueTask.CompletedTask;
        }
    }
}
