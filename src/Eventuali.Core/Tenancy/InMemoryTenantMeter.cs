namespace Eventuali.Tenancy;

/// <summary>
/// The usage and quotas of one in-memory tenant store. <see cref="CheckAppend"/> and <see cref="RecordAppend"/> run
/// under the store's append lock, so the check and the count are atomic with the append, like the SQLite store's
/// transaction; reads are counted as they are returned.
/// </summary>
internal sealed class InMemoryTenantMeter(TenantId tenant, TimeProvider clock) : TenantMeterState(tenant, TenantQuotas.None)
{
    private readonly Lock _gate = new();
    private readonly SortedDictionary<long, DayUsage> _days = [];

    /// <summary>Throws <see cref="TenantQuotaExceededException"/> when the append would go over a quota.</summary>
    public void CheckAppend(IReadOnlyList<EventData> events, bool newStream)
    {
        var quotas = Quotas;
        if (!quotas.Any)
        {
            return;
        }

        var today = TenantQuotaRules.DayOf(clock.GetUtcNow());
        TenantUsageTotals current;
        lock (_gate)
        {
            long streams = 0, bytes = 0;
            foreach (var day in _days.Values)
            {
                streams += day.Streams;
                bytes += day.Bytes;
            }

            current = new TenantUsageTotals(_days.TryGetValue(today, out var t) ? t.Events : 0, streams, bytes);
        }

        TenantQuotaRules.Check(Tenant, quotas, current, events, newStream);
    }

    /// <summary>Counts an append the store has made (in memory it is committed once made).</summary>
    public void RecordAppend(IReadOnlyList<EventData> events, bool newStream)
    {
        var bytes = TenantQuotaRules.PayloadBytes(events);
        Add(events.Count, bytes, newStream ? 1 : 0, 0);
        Diagnostics.TenantTelemetry.RecordAppend(Tenant, Tier, events.Count, bytes);
    }

    public void CountRead() => Add(0, 0, 0, 1);

    /// <summary>The usage over the UTC days <paramref name="from"/> to <paramref name="to"/> (inclusive; null: open).</summary>
    public TenantUsage Report(DateOnly? from, DateOnly? to, long storageBytes)
    {
        var first = from is { } f ? TenantQuotaRules.DayOf(f) : long.MinValue;
        var last = to is { } l ? TenantQuotaRules.DayOf(l) : long.MaxValue;
        long events = 0, bytes = 0, streams = 0, reads = 0;
        lock (_gate)
        {
            foreach (var (day, usage) in _days)
            {
                if (day >= first && day <= last)
                {
                    (events, bytes, streams, reads) = (events + usage.Events, bytes + usage.Bytes, streams + usage.Streams, reads + usage.Reads);
                }
            }
        }

        return new TenantUsage(Tenant, from, to, events, bytes, streams, reads, storageBytes);
    }

    private void Add(long events, long bytes, long streams, long reads)
    {
        var today = TenantQuotaRules.DayOf(clock.GetUtcNow());
        lock (_gate)
        {
            var day = _days.TryGetValue(today, out var d) ? d : _days[today] = new DayUsage();
            day.Events += events;
            day.Bytes += bytes;
            day.Streams += streams;
            day.Reads += reads;
        }
    }

    private sealed class DayUsage
    {
        public long Events { get; set; }

        public long Bytes { get; set; }

        public long Streams { get; set; }

        public long Reads { get; set; }
    }
}
