namespace Eventuali.Hosting;

/// <summary>
/// How the host opens its Eventuali store. Bound from the configuration section <see cref="SectionName"/>
/// (<c>"Eventuali": { "Url": "sqlite://events.db" }</c>) or set in code; validated when the host starts.
/// </summary>
public sealed class EventualiOptions
{
    /// <summary>The configuration section read by default: <c>Eventuali</c>.</summary>
    public const string SectionName = "Eventuali";

    /// <summary>
    /// The store URL (<c>sqlite://events.db</c>, <c>memory://</c>, <c>postgresql://user:pass@host/db?schema=name</c>, or an
    /// Npgsql keyword connection string). Required. A password in it is never logged or reported.
    /// </summary>
    public string? Url { get; set; }

    /// <summary>True (default): create the store (file, tables, schema) when missing; false: fail when it does not exist.</summary>
    public bool CreateIfMissing { get; set; } = true;

    /// <summary>Thresholds of the health checks (<c>Eventuali:HealthChecks</c>).</summary>
    public EventualiHealthCheckOptions HealthChecks { get; set; } = new();

    /// <summary>Options the store is opened with (clock, durability, event types); set in code, not bound from configuration.</summary>
    public EventStoreOptions? StoreOptions { get; set; }
}

/// <summary>Thresholds of the checks <c>AddEventualiHealthChecks</c> registers (<c>Eventuali:HealthChecks</c>).</summary>
public sealed class EventualiHealthCheckOptions
{
    /// <summary>
    /// How old the oldest event a projection has not applied yet may be before the projection check is unhealthy
    /// (<c>MaxProjectionLag</c>, default 1 minute; zero: any unapplied event). Measured in time, not positions,
    /// because positions are not dense on every backend.
    /// </summary>
    public TimeSpan MaxProjectionLag { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>
    /// How long committed events may wait above a readable head that does not move before the watermark check is
    /// unhealthy (<c>MaxWatermarkStall</c>, default 1 minute).
    /// </summary>
    public TimeSpan MaxWatermarkStall { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>
    /// How many dead letters a projection may gain between two runs of the dead-letter check before it is unhealthy
    /// (<c>MaxDeadLetterGrowth</c>, default 0: any new dead letter).
    /// </summary>
    public long MaxDeadLetterGrowth { get; set; }

    /// <summary>
    /// How old the oldest event a relay registered in this host has not had confirmed by its broker may be before the
    /// relay check is unhealthy (<c>MaxRelayLag</c>, default 1 minute; zero: any unpublished event).
    /// </summary>
    public TimeSpan MaxRelayLag { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>How long one check may take before it counts as failed (<c>Timeout</c>, default 10 seconds).</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(10);
}
