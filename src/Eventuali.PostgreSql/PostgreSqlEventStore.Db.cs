using Npgsql;
using NpgsqlTypes;

namespace Eventuali.PostgreSql;

/// <summary>Database calls of the store; connection failures become <see cref="EventStoreUnavailableException"/>.</summary>
public sealed partial class PostgreSqlEventStore
{
    private async Task<List<EventRow>> FetchLogPageAsync(LogQuery query, List<EventRow> page, long position, int limit, CancellationToken ct)
    {
        page.Clear();
        await FetchAsync(query.Sql, page, ct, query.Arguments(position, limit)).ConfigureAwait(false);
        await ResolveNamesAsync(page, ct).ConfigureAwait(false);
        return page;
    }

    private Task FetchAsync(string sql, List<EventRow> page, CancellationToken ct, params NpgsqlParameter[] args)
        => ReadRowsAsync(sql, reader => page.Add(EventRow.Read(reader, _strings)), ct, args);

    private async Task ResolveNamesAsync(List<EventRow> page, CancellationToken ct)
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
            await ReadRowsAsync(_sql["stream_names"], reader => _names.Add(reader.GetInt64(0), reader.GetString(1)), ct,
                new NpgsqlParameter<long[]> { TypedValue = [.. missing], NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Bigint }).ConfigureAwait(false);
        }
    }

    /// <summary>Runs a query on a pooled connection and hands each row to <paramref name="onRow"/>; server errors come back mapped.</summary>
    private async Task ReadRowsAsync(string sql, Action<NpgsqlDataReader> onRow, CancellationToken ct, params NpgsqlParameter[] args)
    {
        try
        {
            var conn = await _dataSource.OpenConnectionAsync(ct).ConfigureAwait(false);
            await using (conn.ConfigureAwait(false))
            {
                var cmd = new NpgsqlCommand(sql, conn);
                await using (cmd.ConfigureAwait(false))
                {
                    cmd.Parameters.AddRange(args);
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
        catch (NpgsqlException ex) when (PgErrors.Map(ex, _settings) is { } mapped)
        {
            throw mapped;
        }
    }

    private async Task<object?> ScalarAsync(string sql, CancellationToken ct, params NpgsqlParameter[] args)
    {
        try
        {
            var conn = await _dataSource.OpenConnectionAsync(ct).ConfigureAwait(false);
            await using (conn.ConfigureAwait(false))
            {
                var cmd = new NpgsqlCommand(sql, conn);
                await using (cmd.ConfigureAwait(false))
                {
                    cmd.Parameters.AddRange(args);
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
            return await _dataSource.OpenConnectionAsync(ct).ConfigureAwait(false);
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
