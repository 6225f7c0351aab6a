namespace Eventuali.Benchmarking;

/// <summary>Figures measured in one run. Nothing here is estimated: each value comes from that run's clock or the kernel.</summary>
/// <param name="Workload">The workload name (e.g. <c>append-batch</c>).</param>
/// <param name="Backend">sqlite, memory or postgresql.</param>
/// <param name="Events">Events written, loaded or read in the timed phase.</param>
/// <param name="Seconds">Wall-clock duration of the timed phase.</param>
/// <param name="EventsPerSecond"><paramref name="Events"/> / <paramref name="Seconds"/>.</param>
/// <param name="P50Milliseconds">Median latency of one <paramref name="LatencyUnit"/>.</param>
/// <param name="P99Milliseconds">99th-percentile latency of one <paramref name="LatencyUnit"/>.</param>
/// <param name="MeanMilliseconds">Mean latency of one <paramref name="LatencyUnit"/>.</param>
/// <param name="PeakWorkingSetMegabytes">Peak resident memory of the process during the timed phase, in MiB.</param>
/// <param name="PeakMemorySource">How the peak was measured (VmHWM after a reset, or the process-lifetime peak).</param>
/// <param name="LatencyUnit">What one latency sample covers.</param>
/// <param name="LatencySamples">How many latency samples the percentiles come from.</param>
/// <param name="AveragePayloadBytes">Mean JSON payload size of the benchmark events.</param>
/// <param name="Database">Where it ran, and what was done with existing data.</param>
/// <param name="CatchUpEventsPerSecond">Subscribe workload only: events per second delivered to the handler while catching up.</param>
public sealed record BenchmarkResult(
    string Workload,
    string Backend,
    long Events,
    double Seconds,
    double EventsPerSecond,
    double P50Milliseconds,
    double P99Milliseconds,
    double MeanMilliseconds,
    double PeakWorkingSetMegabytes,
    string PeakMemorySource,
    string LatencyUnit,
    int LatencySamples,
    double AveragePayloadBytes,
    string Database,
    double? CatchUpEventsPerSecond = null);
