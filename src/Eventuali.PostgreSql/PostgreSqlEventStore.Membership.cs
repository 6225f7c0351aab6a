using Eventuali.Projections;

namespace Eventuali.PostgreSql;

/// <summary>
/// Membership of partitioned projections' daemons: rows <c>group@node</c> of the lease table (Sql/leases.sql), on pooled
/// connections. A row counts until it expires, and (not behind a pooler) only while the backend of its last beat
/// exists: a killed node's connections close with its process, so the others' shares grow at their next beat.
/// </summary>
public sealed partial class PostgreSqlEventStore : IProjectionMembership
{
    /// <inheritdoc />
    public ValueTask<IReadOnlyList<string>> BeatAsync(string group, string node, TimeSpan ttl, CancellationToken cancellationToken = default)
    {
        ProjectionNames.Validate(group);
        ArgumentException.ThrowIfNullOrWhiteSpace(node);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(ttl, TimeSpan.Zero);
        return OnConnectionAsync<IReadOnlyList<string>>(async (c, ct) =>
        {
            await PgProjectionDb.ExecuteAsync(c, null, LeaseStatements["member_beat"], ct, PgProjectionDb.Text(group), PgProjectionDb.Text(node), PgProjectionDb.Long((long)ttl.TotalMilliseconds), PgProjectionDb.Bool(!_settings.BehindPooler)).ConfigureAwait(false);
            return await PgProjectionDb.QueryAsync(c, null, LeaseStatements["members"], r => r.GetString(0), ct, PgProjectionDb.Text(group)).ConfigureAwait(false);
        }, cancellationToken);
    }

    /// <inheritdoc />
    public async ValueTask LeaveAsync(string group, string node, CancellationToken cancellationToken = default)
    {
        ProjectionNames.Validate(group);
        ArgumentException.ThrowIfNullOrWhiteSpace(node);
        await OnConnectionAsync(async (c, ct) => await PgProjectionDb.ExecuteAsync(c, null, LeaseStatements["member_leave"], ct, PgProjectionDb.Text(group), PgProjectionDb.Text(node)).ConfigureAwait(false), cancellationToken).ConfigureAwait(false);
    }
}
