namespace Eventuali.Projections;

/// <summary>Settings of a <see cref="ProjectionDaemon"/>.</summary>
public sealed record ProjectionDaemonOptions
{
    /// <summary>This node's name in the state table's owner column.</summary>
    public string NodeId { get; init; } = $"{Environment.MachineName}:{Environment.ProcessId}";

    /// <summary>Events per transaction.</summary>
    public int BatchSize { get; init; } = 500;

    /// <summary>How often a caught-up projection looks for new events (and for rebuild requests).</summary>
    public TimeSpan PollInterval { get; init; } = TimeSpan.FromMilliseconds(100);

    /// <summary>How often a node that is not the leader tries to take a projection over.</summary>
    public TimeSpan LeaseRetryInterval { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>How long a projection's lease lasts without renewal: a killed or paused leader is replaced after at most this long (plus <see cref="LeaseRetryInterval"/>).</summary>
    public LeaseOptions Lease { get; init; } = LeaseOptions.Default;

    /// <summary>The clock for leases, retries and timestamps (default: the system clock).</summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;

    /// <summary>
    /// How a transient store error (a dropped connection, a failover) is retried: after this policy's backoff rather
    /// than <see cref="LeaseRetryInterval"/>. A permanent error, or transient ones past the budget, is reported by
    /// <see cref="ProjectionDaemon.LastError"/> as a <see cref="Subscriptions.StoreRetryException"/> with the attempts.
    /// </summary>
    public Subscriptions.SubscriptionRetryOptions Retry { get; init; } = Subscriptions.SubscriptionRetryOptions.Default;

    internal void Validate()
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(NodeId);
        ArgumentOutOfRangeException.ThrowIfLessThan(BatchSize, 1);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(PollInterval, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(LeaseRetryInterval, TimeSpan.Zero);
        ArgumentNullException.ThrowIfNull(TimeProvider);
        ArgumentNullException.ThrowIfNull(Retry);
        ArgumentNullException.ThrowIfNull(Lease);
        Lease.Validate();
    }
}
