using System.Globalization;
using Eventuali.Tenancy;
using Npgsql;
using NpgsqlTypes;

namespace Eventuali.PostgreSql;

/// <summary>
/// What a tenant's store (schema mode) meters and enforces: the state every backend's meter shares
/// (<see cref="TenantMeterState"/>), and the statements that go into the append's own round trip (<see cref="AddTo"/>).
/// </summary>
internal sealed class PgTenantMeter(TenantId tenant, TenantQuotas quotas, TimeProvider clock) : TenantMeterState(tenant, quotas)
{
    /// <summary>The SQLSTATE tenant_admit raises when an append would go past a quota.</summary>
    public const string QuotaSqlState = "EV002";

    /// <summary>The appends of a committed transaction go to the tenant metrics (the ones that stored events).</summary>
    public void Committed(IReadOnlyList<PendingAppend> appends)
    {
        long events = 0, bytes = 0;
        foreach (var a in appends)
        {
            if (a.Written)
            {
                events += a.Count;
                bytes += BytesOf(a);
            }
        }

        Diagnostics.TenantTelemetry.RecordAppend(Tenant, Tier, events, bytes);
    }

    /// <summary>The UTC day number (days since 1970-01-01) usage is bucketed by.</summary>
    public int Today() => (int)(clock.GetUtcNow().UtcTicks / TimeSpan.TicksPerDay - DateTime.UnixEpoch.Ticks / TimeSpan.TicksPerDay);

    /// <summary>
    /// Wraps the batch's append commands: the quota check first (when the tenant has quotas), the usage record last.
    /// Returns the reads taken into the record (give them back with <see cref="TenantMeterState.ReturnReads"/> when the batch fails)
    /// and whether a quota check leads the batch (its empty result comes first). <paramref name="lane"/>: the committer's
    /// lane, whose own usage slot the record goes to, so concurrent lanes never wait on each other's row lock; with quotas
    /// every record goes to slot 0, which the quota check has locked already. Appends outside the committer use slot 0.
    /// </summary>
    public (long Reads, bool Admits) AddTo(NpgsqlBatch batch, IReadOnlyList<PendingAppend> appends, SqlText sql, int lane = 0)
    {
        var day = Today();
        var quotas = Quotas;
        var admits = quotas.Any;
        if (admits)
        {
            long events = 0, bytes = 0;
            foreach (var a in appends)
            {
                events += a.Count;
                bytes += BytesOf(a);
            }

            var admit = new NpgsqlBatchCommand(sql["usage_admit"]);
            admit.Parameters.Add(new NpgsqlParameter<int> { TypedValue = day, NpgsqlDbType = NpgsqlDbType.Integer });
            admit.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = [.. appends.Select(a => a.StreamId)], NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text });
            admit.Parameters.Add(new NpgsqlParameter<long> { TypedValue = events, NpgsqlDbType = NpgsqlDbType.Bigint });
            admit.Parameters.Add(new NpgsqlParameter<long> { TypedValue = bytes, NpgsqlDbType = NpgsqlDbType.Bigint });
            admit.Parameters.Add(Limit(quotas.MaxEventsPerDay));
            admit.Parameters.Add(Limit(quotas.MaxStreams));
            admit.Parameters.Add(Limit(quotas.MaxBytes));
            batch.BatchCommands.Insert(0, admit);
        }

        var reads = TakeReads();
        var record = new NpgsqlBatchCommand(sql["usage_record"]);
        record.Parameters.Add(new NpgsqlParameter<int> { TypedValue = day, NpgsqlDbType = NpgsqlDbType.Integer });
        record.Parameters.Add(new NpgsqlParameter<Guid[]> { TypedValue = [.. appends.Select(a => a.Ids[0])], NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Uuid });
        record.Parameters.Add(new NpgsqlParameter<int[]> { TypedValue = [.. appends.Select(a => a.Count)], NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Integer });
        record.Parameters.Add(new NpgsqlParameter<long[]> { TypedValue = [.. appends.Select(BytesOf)], NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Bigint });
        record.Parameters.Add(new NpgsqlParameter<long> { TypedValue = reads, NpgsqlDbType = NpgsqlDbType.Bigint });
        record.Parameters.Add(new NpgsqlParameter<short> { TypedValue = (short)(admits ? 0 : lane), NpgsqlDbType = NpgsqlDbType.Smallint });
        batch.BatchCommands.Add(record);
        return (reads, admits);
    }

    /// <summary>The typed error of a refused quota check (tenant_admit's EV002), or null for any other error.</summary>
    public TenantQuotaExceededException? QuotaError(Exception ex)
    {
        if (ex is not PostgresException { SqlState: QuotaSqlState } pg)
        {
            return null;
        }

        // "eventuali-quota QUOTA LIMIT CURRENT REQUESTED", written by tenant_admit (tenant_admit.sql).
        var parts = pg.MessageText.Split(' ');
        return parts.Length == 5
            && long.TryParse(parts[2], NumberStyles.Integer, CultureInfo.InvariantCulture, out var limit)
            && long.TryParse(parts[3], NumberStyles.Integer, CultureInfo.InvariantCulture, out var current)
            && long.TryParse(parts[4], NumberStyles.Integer, CultureInfo.InvariantCulture, out var requested)
                ? new TenantQuotaExceededException(Tenant, parts[1], limit, current, requested)
                : null;
    }

    private static NpgsqlParameter Limit(long? value) => new() { Value = value is { } v ? v : DBNull.Value, NpgsqlDbType = NpgsqlDbType.Bigint };

    private static long BytesOf(PendingAppend append)
    {
        long bytes = 0;
        foreach (var data in append.Data)
        {
            bytes += data.Length;
        }

        return bytes;
    }
}
