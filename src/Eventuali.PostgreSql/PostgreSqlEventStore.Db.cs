using Npgsql;
using NpgsqlTypes;

namespace Eventuali.PostgreSql;

/// <summary>Database calls of the store; connection failures become <see cref="EventStoreUnavailableException"/>.</summary>
public sealed partial class PostgreSqlEventStore
{
    private Task FetchAsync(string sql, List<EventRow> page, CancellationToken ct, params NpgsqlParameter[] args)
        => ReadRowsAsync(sql, reader => page.Add(EventRow.Read(reader, _strings)), ct, args);

    /// <summary>Names of the page's streams not cached yet, from the server that served the page (the primary when <paramref name="replica"/> is null).</summary>
    private async Task ResolveNamesAsync(List<EventRow> page, NpgsqlDataSource? replica, CancellationToken ct)
    {
        HashSet<long>? missing = null;
        foreach (var row in page)
        {
            if (!_names.TryGet(row.StreamId, out _))
            {
                (missing ??= []).Add(row.StreamId);
            }
        }

        if (missing is not null)
        {
            Action<NpgsqlDataReader> add = reader => _names.Add(reader.GetInt64(0), reader.GetString(1));
            var ids = new NpgsqlParameter<long[]> { TypedValue = [.. missing], NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Bigint };
            await (replica is null ? ReadRowsAsync(_sql["stream_names"], add, ct, ids) : ReadRowsOnAsync(replica, _sql["stream_names"], add, ct, ids)).ConfigureAwait(false);
        }
    }

    /// <summary>Runs a query on a pooled connection and hands each row to <paramref name="onRow"/>; server errors come back mapped.</summary>
    private async Task ReadRowsAsync(string sql, Action<NpgsqlDataReader> onRow, CancellationToken ct, params NpgsqlParameter[] args)
    {
        try
        {
            await ReadRowsOnAsync(_dataSource, sql, onRow, ct, args).ConfigureAwait(false);
        }
        catch (NpgsqlException ex) when (PgErrors.Map(ex, _settings) is { } mapped)
        {
            throw mapped;
        }
    }

    /// <summary>As <see cref="ReadRowsAsync"/> on <paramref name="source"/>, errors unmapped (a replica's fall back to the primary).</summary>
    private async Task ReadRowsOnAsync(NpgsqlDataSource source, string sql, Action<NpgsqlDataReader> onRow, CancellationToken ct, params NpgsqlParameter[] args)
    {
        var conn = PgTenantScope.Mark(await source.OpenConnectionAsync(ct).ConfigureAwait(false), _settings);
        await using (conn.ConfigureAwait(false))
        {
            var cmd = PgTenantScope.Batch(conn, null, sql, args);
            await using (cmd.ConfigureAwait(false))
            {
                var reader = await cmd.ExecuteReaderAsync(ct).ConfigureAwait(false);
                await using (reader.ConfigureAwait(false))
                {
                    while (await reader.ReadAsync(ct).ConfigureAwait(false))
                    {
                        onRow(reader);
                    }
                }
            }
        }
    }

    private async Task<object?> ScalarAsync(string sql, CancellationToken ct, params NpgsqlParameter[] args)
    {
        try
        {
            var conn = PgTenantScope.Mark(await _dataSource.OpenConnectionAsync(ct).ConfigureAwait(false), _settings);
            await using (conn.ConfigureAwait(false))
            {
                var cmd = PgTenantScope.Batch(conn, null, sql, args);
                await using (cmd.ConfigureAwait(false))
                {
                    return await cmd.ExecuteScalarAsync(ct).ConfigureAwait(false);
                }
            }
        }
        catch (NpgsqlException ex) when (PgErrors.Map(ex, _settings) is { } mapped)
        {
            throw mapped;
        }
    }

    private async Task<NpgsqlConnection> OpenConnectionAsync(CancellationToken ct)
    {
        try
        {
            return PgTenantScope.Mark(await _dataSource.OpenConnectionAsync(ct).ConfigureAwait(false), _settings);
        }
        catch (NpgsqlException ex) when (PgErrors.Map(ex, _settings) is { } mapped)
        {
            throw mapped;
        }
    }

    private async Task ExecuteAsync(NpgsqlConnection conn, string sql, CancellationToken ct)
    {
        try
        {
            var cmd = new NpgsqlCommand(sql, conn);
            await using (cmd.ConfigureAwait(false))
            {
                await cmd.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
            }
        }
        catch (NpgsqlException ex) when (PgErrors.Map(ex, _settings) is { } mapped)
        {
            throw mapped;
        }
    }

    private async Task WaitAsync(NpgsqlConnection conn, CancellationToken ct)
    {
        try
        {
            await conn.WaitAsync(ct).ConfigureAwait(false);
        }
        catch (NpgsqlException ex) when (PgErrors.Map(ex, _settings) is { } mapped)
        {
            throw mapped;
        }
    }
}
