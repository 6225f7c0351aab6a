namespace Eventuali.Subscriptions;

/// <summary>Where a <see cref="CatchUpSubscription"/> is in its life.</summary>
public enum SubscriptionState
{
    /// <summary>Loading its checkpoint.</summary>
    Starting = 0,

    /// <summary>Reading what was stored before it started (or while it was behind).</summary>
    CatchingUp = 1,

    /// <summary>Has handled everything readable and waits for new appends.</summary>
    Live = 2,

    /// <summary>Stopped by cancellation or <see cref="CatchUpSubscription.StopAsync"/>; its checkpoint covers everything handled.</summary>
    Stopped = 3,

    /// <summary>Stopped by an error (see <see cref="SubscriptionStatus.Error"/>); the event that failed was not checkpointed.</summary>
    Faulted = 4,
}

/// <summary>A snapshot of a running subscription.</summary>
/// <param name="Name">The subscription (and checkpoint) name.</param>
/// <param name="State">Starting, catching up, live, stopped or faulted.</param>
/// <param name="Position">The last position (stream version, for a stream subscription) handled or passed over by the filter.</param>
/// <param name="CheckpointPosition">The last checkpoint saved or loaded; null when none exists yet.</param>
/// <param name="HeadPosition">The store's readable head (the stream's version) when last looked at.</param>
/// <param name="EventsHandled">Events handled since this subscription object started.</param>
/// <param name="Lag">For the last event handled: from its append (its timestamp) until its handler returned.</param>
/// <param name="Error">What stopped a faulted subscription.</param>
public sealed record SubscriptionStatus(
    string Name,
    SubscriptionState State,
    long Position,
    long? CheckpointPosition,
    long HeadPosition,
    long EventsHandled,
    TimeSpan Lag,
    Exception? Error)
{
    /// <summary>True when the subscription has caught up and receives new events as they are appended.</summary>
    public bool IsLive => State == SubscriptionState.Live;

    /// <summary>Whether the head last seen is beyond what was handled.</summary>
    public bool IsBehind => HeadPosition > Position;
}
