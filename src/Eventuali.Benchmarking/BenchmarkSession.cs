using System.Diagnostics;
using System.Globalization;
using Eventuali.Typed;

namespace Eventuali.Benchmarking;

/// <summary>One run's workloads on an open store. Stream ids carry a fresh run id, so existing streams are never touched.</summary>
internal sealed partial class BenchmarkSession(IEventStore store, BenchmarkOptions options)
{
    /// <summary>Events per latency sample when reading the global log.</summary>
    public const int ReadSampleSize = 1000;

    private readonly EventTypeRegistry _types = store.Options.Types;
    private long _payloadBytes;
    private long _payloadCount;

    public string RunId { get; } = Guid.NewGuid().ToString("N")[..8];

    public string StreamPrefix => AggregateStreams.CategoryOf(typeof(BenchmarkAccount)) + "-" + RunId + "-";

    public double AveragePayloadBytes => _payloadCount == 0 ? 0 : (double)Interlocked.Read(ref _payloadBytes) / Interlocked.Read(ref _payloadCount);

    private int StreamCount => (options.Events + options.BatchSize - 1) / options.BatchSize;

    /// <summary>Untimed setup for the read workloads: every event, a stream of BatchSize at a time.</summary>
    public async Task WriteSetupAsync(CancellationToken ct)
    {
        await AppendBatchesAsync(null, ct).ConfigureAwait(false);
    }

    public Task AppendBatchAsync(LatencyRecorder latency, CancellationToken ct) => AppendBatchesAsync(latency, ct);

    public async Task AppendSingleAsync(LatencyRecorder latency, CancellationToken ct)
    {
        await AppendOneByOneAsync("s", options.Events, latency, ct).ConfigureAwait(false);
    }

    public async Task AppendConcurrentAsync(LatencyRecorder latency, CancellationToken ct)
    {
        var writers = Math.Min(options.Concurrency, options.Events);
        var recorders = new LatencyRecorder[writers];
        var tasks = new Task[writers];
        var start = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        for (var w = 0; w < writers; w++)
        {
            var share = (options.Events / writers) + (w < options.Events % writers ? 1 : 0);
            var recorder = recorders[w] = new LatencyRecorder(share);
            var writer = "w" + w.ToString("D3", CultureInfo.InvariantCulture);
            tasks[w] = Task.Run(
                async () =>
                {
                    await start.Task.ConfigureAwait(false);
                    await AppendOneByOneAsync(writer, share, recorder, ct).ConfigureAwait(false);
                },
                ct);
        }

        start.SetResult();
        await Task.WhenAll(tasks).ConfigureAwait(false);
        foreach (var r in recorders)
        {
            latency.AddAll(r);
        }
    }

    public async Task<long> LoadAggregatesAsync(LatencyRecorder latency, CancellationToken ct)
    {
        long loaded = 0;
        for (var s = 0; s < StreamCount; s++)
        {
            var id = AggregateId("b", s);
            var t0 = Stopwatch.GetTimestamp();
            var deposits = await LoadDepositsAsync(id, ct).ConfigureAwait(false)
                ?? throw new InvalidOperationException($"Benchmark stream for aggregate '{id}' is missing after setup.");
            latency.Add(t0, Stopwatch.GetTimestamp());
            loaded += deposits;
        }

        return loaded;
    }

    // With --snapshot-every the snapshot-enabled type is loaded (a snapshot lookup, then the tail); otherwise the plain one.
    private async ValueTask<int?> LoadDepositsAsync(string id, CancellationToken ct)
        => options.SnapshotEvery is null
            ? (await store.LoadAsync<BenchmarkAccount>(id, ct).ConfigureAwait(false))?.Deposits
            : (await store.LoadAsync<SnapshottedBenchmarkAccount>(id, ct).ConfigureAwait(false))?.Deposits;

    /// <summary>
    /// Untimed: the read workload once over its first 5% (aggregate loads, or log events), so the timed phase
    /// does not pay for just-in-time compilation of the read path and the first statements being prepared.
    /// </summary>
    public async Task WarmUpReadsAsync(BenchmarkWorkload workload, long fromPosition, CancellationToken ct)
    {
        // Repeat a pass over the first 5% for at least a second: JIT tiering (tier 0, instrumented,
        // then optimized code) must be done before timing, or a short run measures the JIT.
        var until = Stopwatch.GetTimestamp() + Stopwatch.Frequency;
        do
        {
            if (workload == BenchmarkWorkload.LoadAggregate)
            {
                var streams = Math.Max(1, StreamCount / 20);
                for (var s = 0; s < streams; s++)
                {
                    _ = await LoadDepositsAsync(AggregateId("b", s), ct).ConfigureAwait(false);
                }
            }
            else
            {
                var events = Math.Max(1, options.Events / 20);
                await foreach (var e in store.ReadAllAsync(fromPosition, events, null, ct).ConfigureAwait(false))
                {
                    _ = e.Data.Length;
                }
            }
        }
        while (Stopwatch.GetTimestamp() < until);
    }

    /// <summary>Reads the global log from <paramref name="fromPosition"/> in one streaming read; one latency sample per <see cref="ReadSampleSize"/> events.</summary>
    public async Task<long> ReadAllAsync(long fromPosition, LatencyRecorder latency, CancellationToken ct)
    {
        long read = 0;
        var t0 = Stopwatch.GetTimestamp();
        await foreach (var e in store.ReadAllAsync(fromPosition, options.Events, null, ct).ConfigureAwait(false))
        {
            if (e.Data.IsEmpty)
            {
                throw new InvalidOperationException($"Event at position {e.Position} came back without its payload.");
            }

            if (++read % ReadSampleSize == 0)
            {
                var now = Stopwatch.GetTimestamp();
                latency.Add(t0, now);
                t0 = now;
            }
        }

        if (read % ReadSampleSize != 0)
        {
            latency.Add(t0, Stopwatch.GetTimestamp());
        }

        return read;
    }

    private async Task AppendBatchesAsync(LatencyRecorder? latency, CancellationToken ct)
    {
        var written = 0;
        for (var s = 0; written < options.Events; s++)
        {
            var count = Math.Min(options.BatchSize, options.Events - written);
            var batch = new EventData[count];
            var streamId = AggregateStreams.StreamId<BenchmarkAccount>(AggregateId("b", s));
            var metadata = Metadata(streamId, 1);
            for (var i = 0; i < count; i++)
            {
                batch[i] = MakeEvent(written + i, metadata);
            }

            var t0 = Stopwatch.GetTimestamp();
            await store.AppendAsync(streamId, ExpectedVersion.NoStream, batch, ct).ConfigureAwait(false);
            latency?.Add(t0, Stopwatch.GetTimestamp());
            written += count;
        }
    }

    /// <summary>
    /// Untimed: a few appends of each kind to separate warm-up streams, so the timed phase does not pay for
    /// just-in-time compilation, the first statements being prepared and the first pages of the file.
    /// </summary>
    public async Task WarmUpAsync(CancellationToken ct)
    {
        await AppendOneByOneAsync("warmup", Math.Min(options.BatchSize * 2, 100), null, ct).ConfigureAwait(false);
        var batch = new EventData[options.BatchSize];
        var streamId = AggregateStreams.StreamId<BenchmarkAccount>(AggregateId("warmup-batch", 0));
        for (var i = 0; i < batch.Length; i++)
        {
            batch[i] = MakeEvent(i, Metadata(streamId, 1));
        }

        await store.AppendAsync(streamId, ExpectedVersion.NoStream, batch, ct).ConfigureAwait(false);
    }

    private async Task AppendOneByOneAsync(string writer, int events, LatencyRecorder? latency, CancellationToken ct)
    {
        var one = new EventData[1];
        for (var n = 0; n < events; n++)
        {
            var version = n % options.BatchSize;
            var streamId = AggregateStreams.StreamId<BenchmarkAccount>(AggregateId(writer, n / options.BatchSize));
            one[0] = MakeEvent(n, Metadata(streamId, version + 1));
            var t0 = Stopwatch.GetTimestamp();
            await store.AppendAsync(streamId, ExpectedVersion.Exact(version), one, ct).ConfigureAwait(false);
            latency?.Add(t0, Stopwatch.GetTimestamp());
        }
    }

    /// <summary>The <paramref name="n"/>th event of a live phase (subscribe workload), with the stream it goes to.</summary>
    public (string StreamId, EventData Event) LiveEvent(int n)
    {
        var streamId = AggregateStreams.StreamId<BenchmarkAccount>(AggregateId("live", n / options.BatchSize));
        return (streamId, MakeEvent(n, Metadata(streamId, (n % options.BatchSize) + 1)));
    }

    private string AggregateId(string writer, int stream)
        => RunId + "-" + writer + "-" + stream.ToString("D6", CultureInfo.InvariantCulture);

    private static EventMetadata Metadata(string streamId, int version)
        => new(CorrelationId: streamId + "/" + version.ToString(CultureInfo.InvariantCulture));

    private EventData MakeEvent(int n, EventMetadata metadata, int? subject = null)
    {
        var number = n.ToString("D6", CultureInfo.InvariantCulture);
        var deposit = new BenchmarkDeposited(
            "acc-" + number,
            12.5m + (n % 100),
            "EUR",
            "deposit note " + n.ToString(CultureInfo.InvariantCulture),
            "ref-" + number + "-" + RunId,
            (n & 1) == 0 ? "mobile-app" : "branch-desk");
        var data = _types.ToEventData(deposit, options.EncryptFields == 0 ? metadata : PersonalMetadata(n, metadata, subject));
        Interlocked.Add(ref _payloadBytes, data.Data.Length);
        Interlocked.Increment(ref _payloadCount);
        return data;
    }
}
