using Eventuali.Tenancy;
using Npgsql;
using NpgsqlTypes;

namespace Eventuali.PostgreSql;

/// <summary>
/// One tenant's usage report and storage size in one round trip, for both PostgreSQL tenancy modes: the caller's
/// connection (and transaction) decides whose rows the two statements see.
/// </summary>
internal static class PgTenantUsageQuery
{
    /// <summary>Runs <paramref name="reportSql"/> (days <paramref name="from"/> to <paramref name="to"/>) then <paramref name="storageSql"/> (the schema).</summary>
    public static async Task<TenantUsage> ReadAsync(NpgsqlConnection conn, NpgsqlTransaction? tx, string reportSql, string storageSql, string schema, TenantId tenant, DateOnly? from, DateOnly? to, CancellationToken ct)
    {
        var batch = new NpgsqlBatch(conn, tx);
        await using (batch.ConfigureAwait(false))
        {
            var report = new NpgsqlBatchCommand(reportSql);
            report.Parameters.Add(new NpgsqlParameter<int> { TypedValue = from is { } f ? DayOf(f) : int.MinValue, NpgsqlDbType = NpgsqlDbType.Integer });
            report.Parameters.Add(new NpgsqlParameter<int> { TypedValue = to is { } t ? DayOf(t) : int.MaxValue, NpgsqlDbType = NpgsqlDbType.Integer });
            var storage = new NpgsqlBatchCommand(storageSql);
            storage.Parameters.Add(new NpgsqlParameter<string> { TypedValue = schema, NpgsqlDbType = NpgsqlDbType.Text });
            batch.BatchCommands.Add(report);
            batch.BatchCommands.Add(storage);
            var reader = await batch.ExecuteReaderAsync(ct).ConfigureAwait(false);
            await using (reader.ConfigureAwait(false))
            {
                await reader.ReadAsync(ct).ConfigureAwait(false);
                var (events, bytes, streams, reads) = (reader.GetInt64(0), reader.GetInt64(1), reader.GetInt64(2), reader.GetInt64(3));
                await reader.NextResultAsync(ct).ConfigureAwait(false);
                await reader.ReadAsync(ct).ConfigureAwait(false);
                return new TenantUsage(tenant, from, to, events, bytes, streams, reads, reader.GetInt64(0));
            }
        }
    }

    // Usage rows are keyed by days since the Unix epoch (UTC).
    private static int DayOf(DateOnly day) => day.DayNumber - DateOnly.FromDateTime(DateTime.UnixEpoch).DayNumber;
}
