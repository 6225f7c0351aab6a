namespace Eventuali.Streaming;

/// <summary>What the streamer does when a subscriber's buffer is full. No policy drops events silently.</summary>
public enum SlowSubscriberPolicy
{
    /// <summary>The publisher waits until the subscriber has room. The slowest such subscriber sets the pace.</summary>
    BackPressure = 0,

    /// <summary>
    /// The publisher never waits. The subscriber is marked as lagging; once it has drained its buffer it reads
    /// the events it missed from the streamer's store, then rejoins the live feed with no gap and no duplicate.
    /// Requires that every published event is already stored (the streamer is fed after commit).
    /// </summary>
    CatchUpFromStore = 1,

    /// <summary>
    /// The publisher never waits. The subscription ends: the subscriber receives what was buffered, then a
    /// <see cref="SubscriberOverflowException"/> naming it and how far behind it was.
    /// </summary>
    Fail = 2,
}
