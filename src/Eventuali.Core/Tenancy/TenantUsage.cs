namespace Eventuali.Tenancy;

/// <summary>
/// Per-tenant limits, enforced inside the append transaction before anything is written; null means no limit.
/// Appends over a limit throw <see cref="TenantQuotaExceededException"/>.
/// </summary>
/// <param name="MaxEventsPerDay">Events appended per UTC day (the day of the append, not of the event's timestamp).</param>
/// <param name="MaxStreams">Streams created, over the tenant's life.</param>
/// <param name="MaxBytes">Event payload bytes appended, over the tenant's life.</param>
public sealed record TenantQuotas(long? MaxEventsPerDay = null, long? MaxStreams = null, long? MaxBytes = null)
{
    /// <summary>No limits.</summary>
    public static TenantQuotas None { get; } = new();

    /// <summary>Whether any limit is set.</summary>
    public bool Any => MaxEventsPerDay is not null || MaxStreams is not null || MaxBytes is not null;
}

/// <summary>
/// A tenant's metered usage over a range of UTC days: what was appended and read, counted in the tenant's own store in
/// the append's transaction, so it equals what is stored.
/// </summary>
/// <param name="Tenant">The tenant.</param>
/// <param name="From">The first UTC day counted (null: from the start).</param>
/// <param name="To">The last UTC day counted, inclusive (null: up to now).</param>
/// <param name="Events">Events appended.</param>
/// <param name="Bytes">Event payload bytes appended.</param>
/// <param name="Streams">Streams created.</param>
/// <param name="Reads">Events read (counted in memory, written with the next append and when the store closes).</param>
/// <param name="StorageBytes">The tenant's storage now (its database file and write-ahead log; on PostgreSQL its schema's tables with indexes), whatever the range.</param>
public sealed record TenantUsage(TenantId Tenant, DateOnly? From, DateOnly? To, long Events, long Bytes, long Streams, long Reads, long StorageBytes);

/// <summary>
/// The per-tenant configuration and usage of a tenant store factory that meters its tenants
/// (<see cref="ITenantStoreFactory"/> implementations that support it also implement this).
/// </summary>
public interface ITenantAdministration
{
    /// <summary>
    /// <paramref name="tenant"/>'s stored configuration; throws <see cref="UnknownTenantException"/> when the tenant is
    /// not registered.
    /// </summary>
    ValueTask<TenantConfiguration> GetConfigurationAsync(TenantId tenant, CancellationToken cancellationToken = default);

    /// <summary>
    /// Stores <paramref name="tenant"/>'s configuration (audited). Quotas apply at once to this factory's open store;
    /// the rest, and every setting in other processes, applies when the tenant's store is next opened.
    /// </summary>
    ValueTask SetConfigurationAsync(TenantId tenant, TenantConfiguration configuration, CancellationToken cancellationToken = default);

    /// <summary>
    /// The usage of <paramref name="tenant"/> (or of every registered tenant when null, ordered by id) over the UTC days
    /// <paramref name="from"/> to <paramref name="to"/> inclusive (null: unbounded).
    /// </summary>
    ValueTask<IReadOnlyList<TenantUsage>> ReadUsageAsync(TenantId? tenant, DateOnly? from, DateOnly? to, CancellationToken cancellationToken = default);
}
