using Eventuali.Tenancy;

namespace Eventuali.Cli.Commands;

/// <summary>
/// The tenant stores of <c>serve</c>: with <c>--audit</c>, each store handed out records its operations in that
/// tenant's access audit log, as a single store opened by the CLI does. Provisioning and usage pass through unchanged.
/// </summary>
internal sealed class AuditedTenantStores(ITenantStoreFactory inner, ITenantAdministration administration) : ITenantStoreFactory, ITenantAdministration
{
    // Disposing the audited store disposes the tenant store under it, which releases this request's hold.
    public async ValueTask<IEventStore> GetStoreAsync(TenantId tenant, CancellationToken cancellationToken = default)
        => AuditOption.Apply(await inner.GetStoreAsync(tenant, cancellationToken).ConfigureAwait(false));

    public ValueTask<TenantInfo> CreateTenantAsync(TenantId tenant, CancellationToken cancellationToken = default) => inner.CreateTenantAsync(tenant, cancellationToken);

    public ValueTask<IReadOnlyList<TenantInfo>> ListTenantsAsync(CancellationToken cancellationToken = default) => inner.ListTenantsAsync(cancellationToken);

    public ValueTask SetSuspendedAsync(TenantId tenant, bool suspended, CancellationToken cancellationToken = default) => inner.SetSuspendedAsync(tenant, suspended, cancellationToken);

    public ValueTask<string> RequestDeletionAsync(TenantId tenant, CancellationToken cancellationToken = default) => inner.RequestDeletionAsync(tenant, cancellationToken);

    public ValueTask PurgeTenantAsync(TenantId tenant, string confirmation, CancellationToken cancellationToken = default) => inner.PurgeTenantAsync(tenant, confirmation, cancellationToken);

    public ValueTask<IReadOnlyList<TenantAuditRecord>> ReadAuditAsync(CancellationToken cancellationToken = default) => inner.ReadAuditAsync(cancellationToken);

    public ValueTask<TenantConfiguration> GetConfigurationAsync(TenantId tenant, CancellationToken cancellationToken = default) => administration.GetConfigurationAsync(tenant, cancellationToken);

    public ValueTask SetConfigurationAsync(TenantId tenant, TenantConfiguration configuration, CancellationToken cancellationToken = default) => administration.SetConfigurationAsync(tenant, configuration, cancellationToken);

    public ValueTask<IReadOnlyList<TenantUsage>> ReadUsageAsync(TenantId? tenant, DateOnly? from, DateOnly? to, CancellationToken cancellationToken = default) => administration.ReadUsageAsync(tenant, from, to, cancellationToken);

    public ValueTask DisposeAsync() => inner.DisposeAsync();
}
