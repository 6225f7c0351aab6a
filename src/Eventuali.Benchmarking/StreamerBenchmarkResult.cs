namespace Eventuali.Benchmarking;

/// <summary>Figures from one <see cref="StreamerBenchmark"/> run; every number was measured in that run.</summary>
/// <param name="Events">Events published (each subscriber received all of them, checked).</param>
/// <param name="Subscribers">Subscribers fed at once.</param>
/// <param name="BatchSize">Events per publish call.</param>
/// <param name="BufferCapacity">Batches each subscriber could buffer (back-pressure policy).</param>
/// <param name="TotalSeconds">From the first publish until the last subscriber had read the last event.</param>
/// <param name="PublishSeconds">From the first publish until the last publish call completed.</param>
/// <param name="EventsPerSecondPerSubscriber">Per subscriber: events divided by the time from the first publish to its last event.</param>
/// <param name="LatencyP50">Median time from just before a batch's publish call to its first event being read by a subscriber.</param>
/// <param name="LatencyP99">99th percentile of the same.</param>
/// <param name="LatencySamples">Batches times subscribers.</param>
/// <param name="AllocatedBytesPerEvent">Bytes allocated by the whole process during the run, divided by the events published.</param>
/// <param name="GcCollections">Garbage collections (all generations) during the run.</param>
/// <param name="LatencyMean">Mean of the same latency samples.</param>
public sealed record StreamerBenchmarkResult(
    int Events,
    int Subscribers,
    int BatchSize,
    int BufferCapacity,
    double TotalSeconds,
    double PublishSeconds,
    IReadOnlyList<double> EventsPerSecondPerSubscriber,
    TimeSpan LatencyP50,
    TimeSpan LatencyP99,
    int LatencySamples,
    double AllocatedBytesPerEvent,
    int GcCollections,
    TimeSpan LatencyMean = default)
{
    /// <summary>The slowest subscriber's rate.</summary>
    public double MinEventsPerSecondPerSubscriber => EventsPerSecondPerSubscriber.Min();

    /// <summary>Events delivered per second, all subscribers together.</summary>
    public double AggregateEventsPerSecond => (double)Events * Subscribers / TotalSeconds;
}
