using Npgsql;

namespace Eventuali.PostgreSql;

/// <summary>
/// Reads served by hot standbys (<c>replica=host:port[,host:port]</c>, see <see cref="PgReplicas"/>): only below a
/// position the replica has replayed, so a reader never sees older data than this store object wrote or read, and
/// the global log never skips. A replica that is behind, down or failing leaves the read to the primary.
/// </summary>
public sealed partial class PostgreSqlEventStore
{
    // Null without replica=: every read goes to the primary, and nothing here costs anything.
    private readonly PgReplicas? _replicas;

    /// <summary>Reads (pages) the primary served while replicas are configured: a replica was behind, down or failing, or none is configured (0).</summary>
    public long ReadsServedByPrimary => _replicas?.PrimaryReads ?? 0;

    /// <summary>
    /// Each configured replica's replay lag against the primary now, whether it answers, and the reads it served for
    /// this store object; empty without <c>replica=</c>. Also the source of the <c>eventuali.replica.lag.*</c> gauges.
    /// </summary>
    public async ValueTask<IReadOnlyList<PostgreSqlReplicaStatus>> GetReplicaStatusAsync(CancellationToken cancellationToken = default)
    {
        if (_replicas is null)
        {
            return [];
        }

        try
        {
            return await _replicas.SampleAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (NpgsqlException ex) when (PgErrors.Map(ex, _settings) is { } mapped)
        {
            throw mapped;
        }
    }

    /// <summary>A stream page: from a replica that has replayed past everything this store object has written or read, else the primary.</summary>
    private async Task FetchStreamPageAsync(string sql, List<EventRow> page, bool mayUseReplica, Func<NpgsqlParameter[]> args, CancellationToken ct)
    {
        if (_replicas is not { } replicas)
        {
            await FetchAsync(sql, page, ct, args()).ConfigureAwait(false);
            return;
        }

        if (mayUseReplica && await replicas.ForStreamAsync(ct).ConfigureAwait(false) is { } replica)
        {
            try
            {
                await ReadRowsOnAsync(replica.DataSource, sql, reader => page.Add(EventRow.Read(reader, _strings)), ct, args()).ConfigureAwait(false);
                Served(replicas, replica, page);
                return;
            }
            catch (Exception ex) when (PgReplica.IsFailure(ex, ct))
            {
                Failed(replica, ex);
                page.Clear();
            }
        }

        await FetchAsync(sql, page, ct, args()).ConfigureAwait(false);
        Served(replicas, null, page);
    }

    /// <summary>
    /// A global-log page: the part below a replica's horizon from the replica (final there, as on the primary), the
    /// rest from the primary, so a reader is never held back by a replica's lag nor shown a gap.
    /// </summary>
    private async Task<List<EventRow>> FetchLogPageAsync(LogQuery query, List<EventRow> page, long position, int limit, CancellationToken ct)
    {
        page.Clear();
        if (_replicas is { } replicas && await replicas.ForLogAsync(position, ct).ConfigureAwait(false) is { } replica)
        {
            try
            {
                await ReadRowsOnAsync(replica.DataSource, query.Sql, reader => page.Add(EventRow.Read(reader, _strings)), ct, query.Arguments(position, limit)).ConfigureAwait(false);
                await ResolveNamesAsync(page, replica.DataSource, ct).ConfigureAwait(false);
                Served(replicas, replica, page);
                if (page.Count == limit)
                {
                    return page;
                }

                // A short page: nothing more is final on the replica; what is above its horizon comes from the primary.
                position = page.Count > 0 ? page[^1].Position + 1 : position;
                limit -= page.Count;
            }
            catch (Exception ex) when (PgReplica.IsFailure(ex, ct))
            {
                Failed(replica, ex);
                page.Clear();
            }
        }

        var start = page.Count;
        var rest = start == 0 ? page : [];
        await FetchAsync(query.Sql, rest, ct, query.Arguments(position, limit)).ConfigureAwait(false);
        await ResolveNamesAsync(rest, null, ct).ConfigureAwait(false);
        if (start > 0)
        {
            page.AddRange(rest);
        }

        if (_replicas is not null)
        {
            Served(_replicas, null, page);
        }

        return page;
    }

    /// <summary>The stream's version from the primary, remembering its last event's position (a later read from a replica must include it).</summary>
    private async ValueTask<long?> StreamVersionSeenAsync(NpgsqlParameter name, CancellationToken ct)
    {
        long? version = null;
        await ReadRowsAsync(_sql["stream_version_position"], r =>
        {
            version = r.IsDBNull(0) ? null : r.GetInt64(0);
            if (!r.IsDBNull(1))
            {
                _replicas!.Observe(r.GetInt64(1));
            }
        }, ct, name).ConfigureAwait(false);
        return version;
    }

    private async Task ReplicaBarrierAsync(CancellationToken ct)
    {
        try
        {
            var conn = PgTenantScope.Mark(await _dataSource.OpenConnectionAsync(ct).ConfigureAwait(false), _settings);
            await using (conn.ConfigureAwait(false))
            {
                await _replicas!.BarrierAsync(conn, ct).ConfigureAwait(false);
            }
        }
        catch (NpgsqlException ex) when (PgErrors.Map(ex, _settings) is { } mapped)
        {
            throw mapped;
        }
    }

    private static void Served(PgReplicas replicas, PgReplica? replica, List<EventRow> page)
    {
        replicas.Observe(page);
        if (replica is null)
        {
            replicas.ServedByPrimary();
            ReplicaTelemetry.ServedByPrimary();
        }
        else
        {
            replica.Served();
            ReplicaTelemetry.ServedByReplica();
        }
    }

    private static void Failed(PgReplica replica, Exception ex)
    {
        // A server error (a conflict with replay, a schema not replayed yet) is this read's alone; a lost or refused
        // connection makes the replica wait a while before it serves again.
        if (ex is not PostgresException)
        {
            replica.MarkDown();
        }
    }
}
