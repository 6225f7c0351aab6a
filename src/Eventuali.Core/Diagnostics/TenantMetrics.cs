using System.Diagnostics.Metrics;
using Eventuali.Tenancy;

namespace Eventuali.Diagnostics;

/// <summary>
/// Per-tenant metrics without one series per tenant: appended events and bytes are counted per tier
/// (<see cref="TenantConfiguration.Tier"/>), so the series grow with the tiers, not the tenants. Series per tenant are
/// opt-in and bounded: <see cref="TopTenants"/> reports the N tenants that appended most.
/// </summary>
public static class TenantMetrics
{
    /// <summary>The largest <see cref="TopTenants"/> accepted.</summary>
    public const int MaxTopTenants = 100;

    private static int _topTenants;

    /// <summary>
    /// How many tenants get series of their own (<see cref="EventualiInstruments.TopTenantEventsAppended"/>): the ones that
    /// appended most events since it was set, in this process. 0 (the default) turns them off. Process-wide, 0 to
    /// <see cref="MaxTopTenants"/>.
    /// </summary>
    public static int TopTenants
    {
        get => Volatile.Read(ref _topTenants);
        set
        {
            if (value is < 0 or > MaxTopTenants)
            {
                throw new ArgumentOutOfRangeException(nameof(value), value, $"TopTenants must be 0 (off) to {MaxTopTenants}.");
            }

            Volatile.Write(ref _topTenants, value);
        }
    }
}

/// <summary>The tenant instruments, recorded by the tenant stores of every backend once an append's usage is committed.</summary>
internal static class TenantTelemetry
{
    private static readonly Counter<long> Events = Telemetry.Meter.CreateCounter<long>(EventualiInstruments.TenantEventsAppended, "{event}", "Events appended by tenant stores, per tier.");
    private static readonly Counter<long> Bytes = Telemetry.Meter.CreateCounter<long>(EventualiInstruments.TenantBytesAppended, "By", "Event payload bytes appended by tenant stores, per tier.");
    private static readonly TopTenantTracker Top = new(capacity: 10 * TenantMetrics.MaxTopTenants);

    // Observable, so a tenant's series exists only while it is in the top N: at most N series per collection.
    private static readonly ObservableCounter<long> TopEvents = Telemetry.Meter.CreateObservableCounter(
        EventualiInstruments.TopTenantEventsAppended, () => Top.Measure(TenantMetrics.TopTenants, bytes: false), "{event}", "Events appended by the top tenants.");

    private static readonly ObservableCounter<long> TopBytes = Telemetry.Meter.CreateObservableCounter(
        EventualiInstruments.TopTenantBytesAppended, () => Top.Measure(TenantMetrics.TopTenants, bytes: true), "By", "Payload bytes appended by the top tenants.");

    public static void RecordAppend(TenantId tenant, string tier, long events, long bytes)
    {
        if (events <= 0)
        {
            return;
        }

        var tag = new KeyValuePair<string, object?>(EventualiAttributes.TenantTier, tier);
        Events.Add(events, tag);
        Bytes.Add(bytes, tag);
        if (TenantMetrics.TopTenants > 0 && (TopEvents.Enabled || TopBytes.Enabled))
        {
            Top.Add(tenant.Value, tier, events, bytes);
        }
    }
}
