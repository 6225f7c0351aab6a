namespace Eventuali.Streaming;

/// <summary>How one subscriber of an <see cref="EventStreamer"/> is fed.</summary>
public sealed record StreamSubscriptionOptions
{
    /// <summary>The buffer size used when none is given.</summary>
    public const int DefaultBufferCapacity = 64;

    /// <summary>A name for errors and diagnostics; the streamer assigns <c>subscriber-N</c> when null.</summary>
    public string? Name { get; init; }

    /// <summary>Only events of these types and/or stream-id prefix (null: every event).</summary>
    public EventFilter? Filter { get; init; }

    /// <summary>An extra in-process test an event must pass (applied after <see cref="Filter"/>).</summary>
    public Func<RecordedEvent, bool>? Predicate { get; init; }

    /// <summary>
    /// How many published batches may wait for this subscriber. Each publish call is one batch (a single-event
    /// publish is a batch of one); a call with more than <see cref="EventStreamer.MaxBatchSegment"/> events counts as
    /// several. Batches are shared between subscribers, not copied, so the cost is a reference per batch.
    /// </summary>
    public int BufferCapacity { get; init; } = DefaultBufferCapacity;

    /// <summary>What happens when the buffer is full.</summary>
    public SlowSubscriberPolicy Policy { get; init; } = SlowSubscriberPolicy.BackPressure;
}
