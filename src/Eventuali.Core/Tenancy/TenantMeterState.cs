namespace Eventuali.Tenancy;

/// <summary>
/// What every backend's tenant meter holds: the tenant, its quotas and tier (replaced by the factory when the
/// configuration changes, read by the open store), and the reads counted since the last write (stores that write
/// them with their next transaction take them, and give them back when that write fails).
/// </summary>
internal class TenantMeterState(TenantId tenant, TenantQuotas quotas)
{
    private TenantQuotas _quotas = quotas;
    private string _tier = TenantConfiguration.DefaultTier;
    private long _reads;

    public TenantId Tenant { get; } = tenant;

    public TenantQuotas Quotas
    {
        get => Volatile.Read(ref _quotas);
        set => Volatile.Write(ref _quotas, value);
    }

    /// <summary>The tier the tenant's metrics are counted under.</summary>
    public string Tier
    {
        get => Volatile.Read(ref _tier);
        set => Volatile.Write(ref _tier, value);
    }

    public bool HasReads => Volatile.Read(ref _reads) > 0;

    /// <summary>The tenant's settings that reach an open store: its quotas and its tier.</summary>
    public void Configure(TenantConfiguration configuration)
    {
        Quotas = configuration.Quotas ?? TenantQuotas.None;
        Tier = configuration.TierOrDefault;
    }

    public void CountReads(int events)
    {
        if (events > 0)
        {
            Interlocked.Add(ref _reads, events);
        }
    }

    /// <summary>Takes the reads counted so far; <see cref="ReturnReads"/> gives them back when their write failed.</summary>
    public long TakeReads() => Interlocked.Exchange(ref _reads, 0);

    public void ReturnReads(long reads)
    {
        if (reads > 0)
        {
            Interlocked.Add(ref _reads, reads);
        }
    }
}
