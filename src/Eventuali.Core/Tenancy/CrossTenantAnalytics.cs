namespace Eventuali.Tenancy;

/// <summary>
/// An explicit grant to read aggregates across tenants, given to
/// <see cref="ICrossTenantAnalyticsSource.OpenCrossTenantAnalyticsAsync"/> in <see cref="CrossTenantAnalyticsOptions"/>. The purpose is recorded in every read tenant's
/// audit trail, so each tenant can see when and why its figures were aggregated.
/// </summary>
/// <param name="Purpose">Why the aggregates are read (e.g. "monthly billing"): 1-200 characters, one line.</param>
public sealed record CrossTenantAnalyticsGrant(string Purpose);

/// <summary>
/// What cross-tenant analytics reports of one tenant that opted in
/// (<see cref="TenantConfiguration.AllowCrossTenantAnalytics"/>): counts, never events or payloads.
/// </summary>
/// <param name="Tenant">The tenant.</param>
/// <param name="Tier">The tenant's tier (<see cref="TenantConfiguration.TierOrDefault"/>).</param>
/// <param name="Streams">Streams the tenant's store holds now.</param>
/// <param name="EventsByType">Events the tenant's store holds now, per event type, ordered by type.</param>
/// <param name="Usage">The tenant's metered usage over its whole life.</param>
public sealed record TenantAnalytics(TenantId Tenant, string Tier, long Streams, IReadOnlyList<KeyValuePair<string, long>> EventsByType, TenantUsage Usage);

/// <summary>
/// A reader of aggregates over the tenants that opted in to cross-tenant analytics. It is not a tenant's store and is
/// never handed out by one: it is opened from the tenant factory with an explicit
/// <see cref="CrossTenantAnalyticsGrant"/>, and it reads counts only.
/// </summary>
public interface ICrossTenantAnalytics
{
    /// <summary>The grant the reader was opened with.</summary>
    CrossTenantAnalyticsGrant Grant { get; }

    /// <summary>
    /// The aggregates of <paramref name="tenants"/>, ordered by id, or of every tenant that opted in when null (the
    /// others, and suspended tenants, are left out). Naming a suspended tenant throws
    /// <see cref="TenantSuspendedException"/>, and naming a tenant that did not opt in throws
    /// <see cref="CrossTenantAnalyticsNotPermittedException"/> and an unregistered one
    /// <see cref="UnknownTenantException"/>, before any tenant is read.
    /// </summary>
    ValueTask<IReadOnlyList<TenantAnalytics>> ReadAsync(IReadOnlyList<TenantId>? tenants = null, CancellationToken cancellationToken = default);
}

/// <summary>
/// What opening a cross-tenant analytics reader takes: the grant, and where the reader connects when the backend reads
/// as a database role of its own. PostgreSQL (<c>tenancy=schema</c>) requires <see cref="ReaderUrl"/>; SQLite and the
/// in-memory store read the tenants' own storage and ignore it.
/// </summary>
/// <param name="Grant">The grant: its purpose is written to the audit trail of every tenant read.</param>
public sealed record CrossTenantAnalyticsOptions(CrossTenantAnalyticsGrant Grant)
{
    /// <summary>
    /// The URL the reader connects with (PostgreSQL: <c>postgresql://reader:password@host/db</c>, the store's database,
    /// as the role named by the store URL's <c>analytics_role</c>). Null on backends that need none.
    /// </summary>
    public string? ReaderUrl { get; init; }

    /// <summary>The grant and whether a reader URL is set; the URL itself is left out (it may hold a password).</summary>
    public override string ToString() => $"CrossTenantAnalyticsOptions {{ Grant = {Grant}, ReaderUrl = {(ReaderUrl is null ? "null" : "(set)")} }}";
}

/// <summary>A tenant store factory that can open a cross-tenant analytics reader (the factory, never a tenant's store).</summary>
public interface ICrossTenantAnalyticsSource
{
    /// <summary>
    /// Opens a reader of aggregates over the tenants that opted in, under <paramref name="options"/>' grant. Throws
    /// <see cref="EventStoreConfigurationException"/> when the grant's purpose is missing or malformed, and
    /// <see cref="ArgumentException"/> when the backend needs a <see cref="CrossTenantAnalyticsOptions.ReaderUrl"/> and
    /// none is given.
    /// </summary>
    ValueTask<ICrossTenantAnalytics> OpenCrossTenantAnalyticsAsync(CrossTenantAnalyticsOptions options, CancellationToken cancellationToken = default);
}

/// <summary>A tenant named in a cross-tenant analytics read that did not opt in. Nothing was read.</summary>
public sealed class CrossTenantAnalyticsNotPermittedException : EventualiException
{
    /// <summary>Creates the exception for <paramref name="tenant"/>.</summary>
    public CrossTenantAnalyticsNotPermittedException(TenantId tenant)
        : base($"Tenant '{tenant}' has not opted in to cross-tenant analytics; nothing was read. The tenant's configuration must allow it ('eventuali tenants config {tenant} --analytics allow').")
        => Tenant = tenant;

    /// <summary>The tenant that did not opt in.</summary>
    public TenantId Tenant { get; }
}
