namespace Eventuali.Projections;

/// <summary>
/// Which nodes are alive in a group (the daemons of one partitioned projection), so partitions can be shared evenly:
/// each node beats at least once per <c>ttl</c>; a node that stops beating drops out after it. Implemented by the
/// PostgreSQL and SQLite stores (rows <c>group@node</c> of the lease table); without it a daemon takes every partition.
/// </summary>
public interface IProjectionMembership
{
    /// <summary>Records that <paramref name="node"/> is alive in <paramref name="group"/> for <paramref name="ttl"/>; returns the live nodes, ordered.</summary>
    ValueTask<IReadOnlyList<string>> BeatAsync(string group, string node, TimeSpan ttl, CancellationToken cancellationToken = default);

    /// <summary>Removes <paramref name="node"/> from <paramref name="group"/> at once (a clean stop).</summary>
    ValueTask LeaveAsync(string group, string node, CancellationToken cancellationToken = default);
}
