namespace Eventuali.Tenancy;

/// <summary>What is known of a registered tenant.</summary>
/// <param name="Tenant">The tenant's id.</param>
/// <param name="Suspended">Whether the tenant is suspended (its store is refused until resumed).</param>
/// <param name="CreatedAt">When the tenant was first created.</param>
/// <param name="DeletionRequested">
/// Whether deleting the tenant was asked for (<see cref="ITenantStoreFactory.RequestDeletionAsync"/>): it is then
/// suspended too, until <see cref="ITenantStoreFactory.PurgeTenantAsync"/> removes it or resuming cancels the deletion.
/// </param>
public sealed record TenantInfo(TenantId Tenant, bool Suspended, DateTimeOffset CreatedAt, bool DeletionRequested = false);

/// <summary>One line of the provisioning audit trail; kept after the tenant is purged.</summary>
/// <param name="At">When it happened.</param>
/// <param name="Tenant">The tenant it happened to.</param>
/// <param name="Action">What happened: created, suspended, resumed, deletion-requested, deletion-cancelled or purged.</param>
public sealed record TenantAuditRecord(DateTimeOffset At, TenantId Tenant, string Action);

/// <summary>
/// Hands out event stores bound to one tenant each. Every capability of a handed-out store (streams, global log,
/// subscriptions, checkpoints, projections, snapshots, lifecycle, sagas, statistics) sees that tenant's data only:
/// the same stream id in two tenants is two streams, and positions and checkpoints are per tenant.
/// The factory owns the stores it hands out: disposing a handed-out store releases the caller's hold on it (a
/// backend with a bounded cache of open stores may then close it) and never closes a store another caller holds;
/// disposing the factory closes them all.
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

    /// <summary>
    /// Suspends or resumes <paramref name="tenant"/>; throws <see cref="UnknownTenantException"/> when it is not
    /// registered. Resuming a tenant whose deletion was requested cancels the deletion.
    /// </summary>
    ValueTask SetSuspendedAsync(TenantId tenant, bool suspended, CancellationToken cancellationToken = default);

    /// <summary>
    /// The first step of deleting <paramref name="tenant"/>: suspends it, marks it for deletion and returns the
    /// confirmation token <see cref="PurgeTenantAsync"/> asks for. Nothing is removed yet. Asking again returns the
    /// same token.
    /// </summary>
    ValueTask<string> RequestDeletionAsync(TenantId tenant, CancellationToken cancellationToken = default);

    /// <summary>
    /// The second step: removes <paramref name="tenant"/> and all its data when <paramref name="confirmation"/> is the
    /// token <see cref="RequestDeletionAsync"/> returned, and records it in the audit trail. Throws
    /// <see cref="TenantDeletionException"/> when deletion was not requested, the token is wrong, or a caller still
    /// holds the tenant's store. Running it again after a crash finishes the purge.
    /// </summary>
    ValueTask PurgeTenantAsync(TenantId tenant, string confirmation, CancellationToken cancellationToken = default);

    /// <summary>The provisioning audit trail, oldest first, including tenants since purged.</summary>
    ValueTask<IReadOnlyList<TenantAuditRecord>> ReadAuditAsync(CancellationToken cancellationToken = default);
}
