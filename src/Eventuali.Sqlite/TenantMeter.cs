using Eventuali.Diagnostics;
using Eventuali.Tenancy;
using SQLitePCL;

namespace Eventuali.Sqlite;

/// <summary>A SQLite tenant store's meter: the state every backend's meter shares (<see cref="TenantMeterState"/>).</summary>
internal sealed class TenantMeter(TenantId tenant, TenantQuotas quotas) : TenantMeterState(tenant, quotas);

/// <summary>
/// The metering statements on the writer connection: the quota check before an append writes, and the usage update
/// after, both inside the append's transaction (and savepoint), so a refused or failed append counts nothing.
/// </summary>
internal sealed class TenantUsageWriter : IDisposable
{
    private static readonly Lazy<IReadOnlyDictionary<string, string>> Sql = new(() => SqlFile.Load("usage.sql"));

    private readonly TenantMeter _meter;
    private readonly TimeProvider _clock;
    private readonly RawStatement _totals;
    private readonly RawStatement _add;
    private long _pendingEvents;
    private long _pendingBytes;

    public TenantUsageWriter(sqlite3 db, TenantMeter meter, TimeProvider clock)
    {
        _meter = meter;
        _clock = clock;
        _totals = new RawStatement(db, "usage_totals", Sql.Value["usage_totals"]);
        _add = new RawStatement(db, "usage_add", Sql.Value["usage_add"]);
    }

    /// <summary>Throws <see cref="TenantQuotaExceededException"/> when the append would go over a quota; writes nothing.</summary>
    public void Check(PendingAppend append, bool newStream)
    {
        var quotas = _meter.Quotas;
        if (!quotas.Any)
        {
            return;
        }

        _totals.Bind(1, TenantQuotaRules.DayOf(_clock.GetUtcNow()));
        TenantUsageTotals current;
        try
        {
            _totals.Step();
            current = new TenantUsageTotals(_totals.GetInt64(0), _totals.GetInt64(1), _totals.GetInt64(2));
        }
        finally
        {
            _totals.Reset();
        }

        TenantQuotaRules.Check(_meter.Tenant, quotas, current, append.Events, newStream);
    }

    /// <summary>Adds what the append wrote to today's usage row; the metrics follow once the batch commits.</summary>
    public void Record(PendingAppend append, bool newStream)
    {
        var bytes = TenantQuotaRules.PayloadBytes(append.Events);
        Add(append.Events.Count, bytes, newStream ? 1 : 0, 0);
        _pendingEvents += append.Events.Count;
        _pendingBytes += bytes;
    }

    /// <summary>The batch committed: its appends go to the tenant metrics (writer thread only).</summary>
    public void Committed()
    {
        TenantTelemetry.RecordAppend(_meter.Tenant, _meter.Tier, _pendingEvents, _pendingBytes);
        Discard();
    }

    /// <summary>The batch was rolled back: nothing of it is counted.</summary>
    public void Discard() => (_pendingEvents, _pendingBytes) = (0, 0);

    /// <summary>Adds the reads counted since the last write (before the batch commits).</summary>
    public long FlushReads()
    {
        var reads = _meter.TakeReads();
        if (reads > 0)
        {
            try
            {
                Add(0, 0, 0, reads);
            }
            catch
            {
                _meter.ReturnReads(reads);
                throw;
            }
        }

        return reads;
    }

    public void ReturnReads(long reads) => _meter.ReturnReads(reads);

    public bool HasReads => _meter.HasReads;

    public void Dispose()
    {
        _totals.Dispose();
        _add.Dispose();
    }

    private void Add(long events, long bytes, long streams, long reads)
    {
        _add.Bind(1, TenantQuotaRules.DayOf(_clock.GetUtcNow()));
        _add.Bind(2, events);
        _add.Bind(3, bytes);
        _add.Bind(4, streams);
        _add.Bind(5, reads);
        _add.Step();
        _add.Reset();
    }
}
