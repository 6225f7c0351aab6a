namespace Eventuali.Testing.Generation;

/// <summary>How much history to generate, from which seed, and when it happened.</summary>
public sealed record EventHistoryOptions
{
    /// <summary>How many streams (aggregates); at least 1.</summary>
    public int Streams { get; init; } = 10;

    /// <summary>About how many events per stream (the domain decides the exact count); at least 1.</summary>
    public int EventsPerStream { get; init; } = 20;

    /// <summary>The seed: the same seed, domain and counts give the same streams, events, ids and timestamps.</summary>
    public int Seed { get; init; } = 1;

    /// <summary>When the first stream was written; stream n is written <see cref="Spacing"/> × n later.</summary>
    public DateTimeOffset Start { get; init; } = TestClock.DefaultStart;

    /// <summary>The time between the writes of consecutive streams.</summary>
    public TimeSpan Spacing { get; init; } = TimeSpan.FromMinutes(1);

    internal void Validate()
    {
        if (Streams < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(Streams), Streams, "Streams must be at least 1.");
        }

        if (EventsPerStream < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(EventsPerStream), EventsPerStream, "Events per stream must be at least 1.");
        }

        if (Spacing < TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(Spacing), Spacing, "Spacing must not be negative.");
        }
    }
}

/// <summary>One generated stream: its id, the time it was written and its events (with their final ids).</summary>
public sealed record GeneratedStream(string StreamId, DateTimeOffset Timestamp, IReadOnlyList<EventData> Events);

/// <summary>What a generation wrote.</summary>
public sealed record EventHistorySummary(long Streams, long Events);

/// <summary>A generator domain failed, or its history cannot be written; nothing was written.</summary>
public sealed class EventGenerationException : Exception
{
    /// <summary>Creates the exception with <paramref name="message"/>.</summary>
    public EventGenerationException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with <paramref name="message"/> and the domain's error.</summary>
    public EventGenerationException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Creates the exception with a generic message.</summary>
    public EventGenerationException()
        : base("Event generation failed.")
    {
    }
}
