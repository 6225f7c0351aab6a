namespace Eventuali.Subscriptions;

/// <summary>
/// What a handler-based subscription (<see cref="CatchUpSubscription"/>) reads and how often it saves its checkpoint.
/// The checkpoint is saved under <see cref="Name"/> after handling: every <see cref="CheckpointEvery"/> events, after
/// <see cref="CheckpointInterval"/> with unsaved progress, whenever it has caught up, and when it stops cleanly.
/// A crash re-delivers at most what was handled after the last save (at-least-once).
/// </summary>
public sealed record SubscriptionOptions
{
    /// <summary>The subscription's name: the key of its checkpoint in the store.</summary>
    public required string Name { get; init; }

    /// <summary>Only global-log events that match (event types and/or category). Not with <see cref="StreamId"/>.</summary>
    public EventFilter? Filter { get; init; }

    /// <summary>Subscribe to this one stream instead of the global log; the checkpoint is then a stream version.</summary>
    public string? StreamId { get; init; }

    /// <summary>Where to start when no checkpoint is stored: the position (or stream version) after which to deliver. Default 0: from the beginning.</summary>
    public long StartAfter { get; init; }

    /// <summary>Save the checkpoint after this many handled events (default 1,000).</summary>
    public int CheckpointEvery { get; init; } = 1000;

    /// <summary>Save the checkpoint when this much time has passed since the last save with progress unsaved (default 1 s).</summary>
    public TimeSpan CheckpointInterval { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>The clock for <see cref="CheckpointInterval"/> and <see cref="SubscriptionStatus.Lag"/>; default the store's.</summary>
    public TimeProvider? TimeProvider { get; init; }

    /// <summary>
    /// How transient store errors (a dropped connection, a failover) are ridden out: backing off and reading again from
    /// the last event handled. Default <see cref="SubscriptionRetryOptions.Default"/>; the backoff waits on
    /// <see cref="TimeProvider"/> unless the retry options name their own clock.
    /// </summary>
    public SubscriptionRetryOptions Retry { get; init; } = SubscriptionRetryOptions.Default;

    /// <summary>Throws <see cref="ArgumentException"/> naming the first bad value.</summary>
    public void Validate()
    {
        CheckpointNames.Validate(Name);
        if (Retry is null)
        {
            throw new ArgumentNullException(nameof(Retry), $"Subscription '{Name}': Retry cannot be null (use SubscriptionRetryOptions.None for no retry).");
        }

        if (StreamId is not null)
        {
            AppendValidation.ValidateStreamId(StreamId);
            if (Filter is not null)
            {
                throw new ArgumentException($"Subscription '{Name}': a stream subscription ({StreamId}) takes no filter.", nameof(Filter));
            }
        }

        if (StartAfter < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(StartAfter), StartAfter, $"Subscription '{Name}': StartAfter cannot be negative.");
        }

        if (CheckpointEvery < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(CheckpointEvery), CheckpointEvery, $"Subscription '{Name}': CheckpointEvery must be at least 1.");
        }

        if (CheckpointInterval <= TimeSpan.Zero && CheckpointInterval != Timeout.InfiniteTimeSpan)
        {
            throw new ArgumentOutOfRangeException(nameof(CheckpointInterval), CheckpointInterval, $"Subscription '{Name}': CheckpointInterval must be positive (or infinite).");
        }
    }
}
