using System.Diagnostics;
using System.Globalization;
using System.Threading.Channels;
using Eventuali.Typed;

namespace Eventuali.Benchmarking;

/// <summary>
/// Offers events at a fixed rate and measures what the store achieves. A pacer releases each event when it is
/// due; writers take due events and append them one per call. Latency is measured from the due time, so time
/// an event waited for a free writer counts (a store that falls behind shows it in the percentiles and in
/// the achieved rate, instead of the test quietly slowing down to the store's pace).
/// </summary>
public static class LoadTestRunner
{
    /// <summary>Holds the requested event rate for the requested duration and returns the latencies and throughput it measured.</summary>
    public static async Task<LoadTestResult> RunAsync(LoadTestOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        var tempFile = options.DatabaseUrl is null ? Path.Combine(Path.GetTempPath(), $"eventuali-load-{Guid.NewGuid():N}.db") : null;
        var url = options.DatabaseUrl ?? "sqlite://" + tempFile;
        try
        {
            var storeOptions = new EventStoreOptions { Durability = options.Durability, Types = new EventTypeRegistry().Register<BenchmarkDeposited>() };
            var store = await EventStore.CreateAsync(url, storeOptions, cancellationToken).ConfigureAwait(false);
            await using (store.ConfigureAwait(false))
            {
                var database = tempFile is not null ? $"fresh temporary SQLite file (deleted afterwards), durability {options.Durability}" : EventStore.RedactUrl(url);
                return await new LoadTest(store, options, BenchmarkRunner.BackendOf(url), database).RunAsync(cancellationToken).ConfigureAwait(false);
            }
        }
        finally
        {
            if (tempFile is not null)
            {
                foreach (var suffix in (string[])["", "-wal", "-shm"])
                {
                    File.Delete(tempFile + suffix);
                }
            }
        }
    }

    private sealed class LoadTest(IEventStore store, LoadTestOptions options, string backend, string database)
    {
        private readonly string _runId = Guid.NewGuid().ToString("N")[..8];
        private readonly long _total = (long)(options.Duration.TotalSeconds * options.EventsPerSecond);
        private readonly Channel<long> _due = Channel.CreateUnbounded<long>(new UnboundedChannelOptions { SingleWriter = true });
        private long _started;
        private long _released;
        private long _completed;
        private long _maxBacklog;

        public async Task<LoadTestResult> RunAsync(CancellationToken ct)
        {
            await WarmUpAsync(ct).ConfigureAwait(false);
            var recorders = new LatencyRecorder[Math.Max(1, Math.Min(options.Writers, (int)Math.Min(_total, int.MaxValue)))];
            _started = Stopwatch.GetTimestamp();
            var writers = new Task[recorders.Length];
            for (var w = 0; w < writers.Length; w++)
            {
                var recorder = recorders[w] = new LatencyRecorder((int)Math.Min(_total / writers.Length + 1, 1 << 20));
                var writer = w;
                writers[w] = Task.Run(() => WriteAsync(writer, recorder, ct), ct);
            }

            await PaceAsync(ct).ConfigureAwait(false);
            await Task.WhenAll(writers).ConfigureAwait(false);
            var seconds = Stopwatch.GetElapsedTime(_started).TotalSeconds;
            var all = new LatencyRecorder(0);
            foreach (var r in recorders)
            {
                all.AddAll(r);
            }

            var sorted = all.ToSortedArray();
            if (sorted.Length != _total)
            {
                throw new InvalidOperationException($"The load test appended {sorted.Length} events, expected {_total}.");
            }

            return new LoadTestResult(
                backend,
                database,
                options.EventsPerSecond,
                sorted.Length,
                seconds,
                sorted.Length / seconds,
                LatencyRecorder.PercentileMilliseconds(sorted, 50),
                LatencyRecorder.PercentileMilliseconds(sorted, 90),
                LatencyRecorder.PercentileMilliseconds(sorted, 99),
                LatencyRecorder.PercentileMilliseconds(sorted, 99.9),
                LatencyRecorder.PercentileMilliseconds(sorted, 100),
                _maxBacklog);
        }

        /// <summary>Releases every event whose due time has come, waking about once a millisecond.</summary>
        private async Task PaceAsync(CancellationToken ct)
        {
            var nextReport = Stopwatch.Frequency;
            try
            {
                while (_released < _total)
                {
                    var elapsed = Stopwatch.GetTimestamp() - _started;
                    var due = Math.Min(_total, (long)((double)elapsed * options.EventsPerSecond / Stopwatch.Frequency) + 1);
                    for (; _released < due; _released++)
                    {
                        _due.Writer.TryWrite(_released);
                    }

                    _maxBacklog = Math.Max(_maxBacklog, _released - Interlocked.Read(ref _completed) - options.Writers);
                    if (elapsed >= nextReport)
                    {
                        nextReport += Stopwatch.Frequency;
                        var done = Interlocked.Read(ref _completed);
                        options.Progress?.Report(string.Create(CultureInfo.InvariantCulture, $"{elapsed / Stopwatch.Frequency} s: {done:N0} events appended ({done * (double)Stopwatch.Frequency / elapsed:N0}/s, target {options.EventsPerSecond:N0}/s)"));
                    }

                    if (_released < _total)
                    {
                        await Task.Delay(1, ct).ConfigureAwait(false);
                    }
                }
            }
            finally
            {
                _due.Writer.TryComplete();
            }
        }

        private async Task WriteAsync(int writer, LatencyRecorder latency, CancellationToken ct)
        {
            var one = new EventData[1];
            var n = 0;
            await foreach (var index in _due.Reader.ReadAllAsync(ct).ConfigureAwait(false))
            {
                var dueAt = _started + (long)(index * (double)Stopwatch.Frequency / options.EventsPerSecond);
                var version = n % options.EventsPerStream;
                var streamId = StreamId(writer, n / options.EventsPerStream);
                one[0] = Event(index);
                await store.AppendAsync(streamId, ExpectedVersion.Exact(version), one, ct).ConfigureAwait(false);
                latency.Add(dueAt, Stopwatch.GetTimestamp());
                Interlocked.Increment(ref _completed);
                n++;
            }
        }

        /// <summary>Untimed appends first, so the measured run does not include just-in-time compilation and first statements.</summary>
        private async Task WarmUpAsync(CancellationToken ct)
        {
            options.Progress?.Report("warm-up: 200 untimed appends");
            var one = new EventData[1];
            for (var i = 0; i < 200; i++)
            {
                one[0] = Event(i);
                await store.AppendAsync(StreamId(-1, i / options.EventsPerStream), ExpectedVersion.Exact(i % options.EventsPerStream), one, ct).ConfigureAwait(false);
            }

            options.Progress?.Report(string.Create(CultureInfo.InvariantCulture, $"running: {_total:N0} events at {options.EventsPerSecond:N0}/s for {options.Duration.TotalSeconds:N0} s"));
        }

        private string StreamId(int writer, int stream)
            => string.Create(CultureInfo.InvariantCulture, $"load-{_runId}-{(writer < 0 ? "warmup" : "w" + writer.ToString("D3", CultureInfo.InvariantCulture))}-{stream:D6}");

        private EventData Event(long n)
        {
            var number = n.ToString("D6", CultureInfo.InvariantCulture);
            var deposit = new BenchmarkDeposited("acc-" + number, 12.5m + (n % 100), "EUR", "deposit note " + number, "ref-" + number + "-" + _runId, (n & 1) == 0 ? "mobile-app" : "branch-desk");
            return store.Options.Types.ToEventData(deposit);
        }
    }
}
