namespace Eventuali.Benchmarking;

/// <summary>A paced load test: events offered at a fixed rate for a fixed time, one event per append.</summary>
public sealed record LoadTestOptions
{
    /// <summary>How long events are offered.</summary>
    public TimeSpan Duration { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>The target rate: event i is due at start + i / rate.</summary>
    public int EventsPerSecond { get; init; } = 1000;

    /// <summary>Concurrent writers taking due events (default 32).</summary>
    public int Writers { get; init; } = 32;

    /// <summary>Events per stream before a writer moves to a fresh stream (default 50).</summary>
    public int EventsPerStream { get; init; } = 50;

    /// <summary>The SQLite durability of the store under test.</summary>
    public Durability Durability { get; init; } = Durability.Full;

    /// <summary>The store; null: a fresh SQLite file in the temp directory, deleted afterwards.</summary>
    public string? DatabaseUrl { get; init; }

    /// <summary>Once a second: elapsed time, events sent and the rate so far.</summary>
    public IProgress<string>? Progress { get; init; }

    /// <summary>Throws <see cref="ArgumentException"/> naming the first bad value.</summary>
    public void Validate()
    {
        if (Duration <= TimeSpan.Zero || Duration > TimeSpan.FromDays(1))
        {
            throw new ArgumentException($"The duration must be above zero and at most a day; got {Duration}.", nameof(Duration));
        }

        if (EventsPerSecond < 1)
        {
            throw new ArgumentException($"The target rate must be at least 1 event per second; got {EventsPerSecond}.", nameof(EventsPerSecond));
        }

        if ((long)(Duration.TotalSeconds * EventsPerSecond) > int.MaxValue)
        {
            throw new ArgumentException($"{Duration.TotalSeconds:0} s at {EventsPerSecond} events/s is more than {int.MaxValue} events.", nameof(EventsPerSecond));
        }

        if (Writers < 1)
        {
            throw new ArgumentException($"The number of writers must be at least 1; got {Writers}.", nameof(Writers));
        }

        if (EventsPerStream < 1)
        {
            throw new ArgumentException($"Events per stream must be at least 1; got {EventsPerStream}.", nameof(EventsPerStream));
        }
    }
}

/// <summary>What a load test measured. Latency runs from when an event was due to when its append returned.</summary>
/// <param name="Backend">sqlite, memory or postgresql.</param>
/// <param name="Database">Where it ran, for people.</param>
/// <param name="TargetEventsPerSecond">The rate asked for.</param>
/// <param name="Events">Events appended (every event due within the duration).</param>
/// <param name="Seconds">From the first due time to the last append's return.</param>
/// <param name="EventsPerSecond">Achieved: events / seconds.</param>
/// <param name="P50Milliseconds">Median latency.</param>
/// <param name="P90Milliseconds">90th percentile latency.</param>
/// <param name="P99Milliseconds">99th percentile latency.</param>
/// <param name="P999Milliseconds">99.9th percentile latency.</param>
/// <param name="MaxMilliseconds">Highest latency.</param>
/// <param name="MaxBacklog">Most due events waiting for a free writer at once (0: the writers kept up).</param>
public sealed record LoadTestResult(
    string Backend,
    string Database,
    int TargetEventsPerSecond,
    long Events,
    double Seconds,
    double EventsPerSecond,
    double P50Milliseconds,
    double P90Milliseconds,
    double P99Milliseconds,
    double P999Milliseconds,
    double MaxMilliseconds,
    long MaxBacklog);
