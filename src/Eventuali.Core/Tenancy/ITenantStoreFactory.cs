namespace Eventuali.Tenancy;

/// <summary>What is known of a registered tenant.</summary>
/// <param name="Tenant">The tenant's id.</param>
/// <param name="Suspended">Whether the tenant is suspended (its store is refused until resumed).</param>
/// <param name="CreatedAt">When the tenant was first created.</param>
public sealed record TenantInfo(TenantId Tenant, bool Suspended, DateTimeOffset CreatedAt);

/// <summary>
/// Hands out event stores bound to one tenant each. Every capability of a handed-out store (streams, global log,
/// subscriptions, checkpoints, projections, snapshots, lifecycle, sagas, statistics) sees that tenant's data only:
/// the same stream id in two tenants is two streams, and positions and checkpoints are per tenant.
/// The factory owns the stores it hands out: callers do not dispose them; disposing the factory closes them all.
/// </summary>
public interface ITenantStoreFactory : IAsyncDisposable
{
    /// <summary>
    /// The store of <paramref name="tenant"/>. Throws <see cref="UnknownTenantException"/> when the tenant is not
    /// registered, <see cref="TenantSuspendedException"/> when it is suspended, and
    /// <see cref="MissingTenantContextException"/> on the default <see cref="TenantId"/>.
    /// </summary>
    ValueTask<IEventStore> GetStoreAsync(TenantId tenant, CancellationToken cancellationToken = default);

    /// <summary>Registers <paramref name="tenant"/>; creating a tenant that exists returns it unchanged.</summary>
    ValueTask<TenantInfo> CreateTenantAsync(TenantId tenant, CancellationToken cancellationToken = default);

    /// <summary>The registered tenants, ordered by id.</summary>
    ValueTask<IReadOnlyList<TenantInfo>> ListTenantsAsync(CancellationToken cancellationToken = default);

    /// <summary>Suspends or resumes <paramref name="tenant"/>; throws <see cref="UnknownTenantException"/> when it is not registered.</summary>
    ValueTask SetSuspendedAsync(TenantId tenant, bool suspended, CancellationToken cancellationToken = default);
}
