using Eventuali.Typed;

namespace Eventuali.Snapshots;

/// <summary>A loaded aggregate and how it was built.</summary>
/// <param name="Aggregate">The aggregate (version 0 when the stream had no event up to the point asked for).</param>
/// <param name="SnapshotVersion">The version of the snapshot it started from, or null for a full replay.</param>
/// <param name="EventsReplayed">Events applied after the snapshot (or from the start).</param>
/// <param name="Issues">Snapshots that were skipped on the way, newest first.</param>
public sealed record AggregateLoadResult<TAggregate>(TAggregate Aggregate, long? SnapshotVersion, long EventsReplayed, IReadOnlyList<SnapshotIssue> Issues)
    where TAggregate : Aggregate
{
    /// <summary>Whether the stream had at least one event up to the point asked for.</summary>
    public bool Exists => Aggregate.Version > 0;

    /// <summary>The version of the aggregate cache entry the load started from (see <see cref="EventStoreOptions.AggregateCache"/>), or null when it did not use one.</summary>
    public long? CachedVersion { get; init; }
}
