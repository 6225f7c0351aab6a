using Eventuali.Projections;

namespace Eventuali.Sqlite;

/// <summary>Membership of partitioned projections' daemons: rows <c>group@node</c> of the lease table.</summary>
public sealed partial class SqliteEventStore : IProjectionMembership
{
    /// <inheritdoc />
    public ValueTask<IReadOnlyList<string>> BeatAsync(string group, string node, TimeSpan ttl, CancellationToken cancellationToken = default)
    {
        ProjectionNames.Validate(group);
        ArgumentException.ThrowIfNullOrWhiteSpace(node);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(ttl, TimeSpan.Zero);
        cancellationToken.ThrowIfCancellationRequested();
        using var connection = SqliteProjectionDb.Open(Location);
        var now = SqliteProjectionDb.Micros(Options.TimeProvider.GetUtcNow());
        SqliteProjectionDb.Execute(connection, null, "member_beat", group, node, now, ttl.Ticks / 10);
        return ValueTask.FromResult<IReadOnlyList<string>>(SqliteProjectionDb.Query(connection, null, "members", r => r.GetString(0), group, now));
    }

    /// <inheritdoc />
    public ValueTask LeaveAsync(string group, string node, CancellationToken cancellationToken = default)
    {
        ProjectionNames.Validate(group);
        ArgumentException.ThrowIfNullOrWhiteSpace(node);
        cancellationToken.ThrowIfCancellationRequested();
        using var connection = SqliteProjectionDb.Open(Location);
        SqliteProjectionDb.Execute(connection, null, "member_leave", group, node);
        return ValueTask.CompletedTask;
    }
}
