using Eventuali.Streaming;

namespace Eventuali.Benchmarking;

/// <summary>
/// The stream workload: in-process fan-out through <see cref="EventStreamer"/> (<see cref="StreamerBenchmark"/>) to
/// <see cref="BenchmarkOptions.Subscribers"/> subscribers, <see cref="BenchmarkOptions.BatchSize"/> events per publish.
/// No store is involved. events_per_sec is per subscriber: the slowest one's rate.
/// </summary>
internal static class StreamWorkload
{
    public static async Task<BenchmarkResult> RunAsync(BenchmarkOptions options, CancellationToken ct)
    {
        options.Progress?.Report($"running stream ({options.Events} events to {options.Subscribers} subscriber(s), {options.BatchSize} per publish)");
        var memory = new PeakMemory();
        memory.Reset();
        var r = await StreamerBenchmark.RunAsync(options.Events, options.Subscribers, options.BatchSize, ct).ConfigureAwait(false);
        var (peakBytes, peakSource) = memory.Read();
        return new BenchmarkResult(
            BenchmarkWorkloads.NameOf(BenchmarkWorkload.Stream),
            "in-process",
            r.Events,
            r.TotalSeconds,
            r.MinEventsPerSecondPerSubscriber,
            r.LatencyP50.TotalMilliseconds,
            r.LatencyP99.TotalMilliseconds,
            r.LatencyMean.TotalMilliseconds,
            peakBytes / (1024.0 * 1024.0),
            peakSource,
            $"publish call to the batch's first event read by a subscriber ({r.Subscribers} subscriber(s), {r.AllocatedBytesPerEvent:N1} bytes allocated per event, {r.GcCollections} GCs)",
            r.LatencySamples,
            0,
            $"no store: {r.Subscribers} in-process subscriber(s) of the EventStreamer, events built before timing");
    }
}
