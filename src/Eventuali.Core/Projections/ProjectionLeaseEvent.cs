namespace Eventuali.Projections;

/// <summary>What happened to a projection's lease on this node (see <see cref="ProjectionDaemon.LeaseChanged"/>).</summary>
public enum ProjectionLeaseChange
{
    /// <summary>This node took the lease and runs the projection.</summary>
    Acquired,

    /// <summary>Another live node holds the lease; this node stands by (reported once per run of denials).</summary>
    Denied,

    /// <summary>This node lost the lease while holding it (another node took it, or renewal failed); its uncommitted batch was refused.</summary>
    Lost,

    /// <summary>This node gave the lease up (stopping, or after store trouble).</summary>
    Released,
}

/// <summary>A change of a projection's lease on this node.</summary>
/// <param name="Projection">The lease's name (the projection's, or <c>projection/partition</c>).</param>
/// <param name="Change">What happened.</param>
/// <param name="Epoch">The lease's epoch on this node (0 when the store has no lease table or the lease was denied).</param>
/// <param name="Error">Why the lease was lost or given up, if known.</param>
public sealed record ProjectionLeaseEvent(string Projection, ProjectionLeaseChange Change, long Epoch, Exception? Error);

/// <summary>A projection's lease as this node sees it (see <see cref="ProjectionDaemon.GetLeaseStatuses"/>).</summary>
/// <param name="Projection">The projection.</param>
/// <param name="IsLeader">Whether this node holds the lease now.</param>
/// <param name="Epoch">The epoch this node holds (0 when it holds none, or the store has no lease table).</param>
/// <param name="LastChange">The last change of the lease on this node, or null before the first attempt.</param>
/// <param name="LastChangeAt">When <paramref name="LastChange"/> happened, by the daemon's clock.</param>
public sealed record ProjectionLeaseStatus(string Projection, bool IsLeader, long Epoch, ProjectionLeaseEvent? LastChange, DateTimeOffset? LastChangeAt);
