using Eventuali.Tenancy;

namespace Eventuali.Sqlite;

/// <summary>Per-tenant configuration (in the registry) and usage (in each tenant's file).</summary>
public sealed partial class SqliteTenantStoreFactory : ITenantAdministration
{
    /// <inheritdoc />
    public ValueTask<TenantConfiguration> GetConfigurationAsync(TenantId tenant, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return ValueTask.FromResult(_registry.GetConfiguration(tenant));
    }

    /// <inheritdoc />
    public async ValueTask SetConfigurationAsync(TenantId tenant, TenantConfiguration configuration, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        cancellationToken.ThrowIfCancellationRequested();
        TenantConfigurationRules.Validate(configuration);
        _registry.SetConfiguration(tenant, configuration);
        if (_meters.TryGetValue(tenant.Value, out var meter))
        {
            meter.Configure(configuration);
        }

        // Settings applied when the store opens (durability, retention, snapshots, encryption): an idle open store is
        // closed so that the next hold opens it with them; one still held keeps its settings until released.
        await _cache.TryCloseAsync(tenant).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public ValueTask<IReadOnlyList<TenantUsage>> ReadUsageAsync(TenantId? tenant, DateOnly? from, DateOnly? to, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        TenantConfigurationRules.ValidateRange(from, to);
        IEnumerable<TenantId> tenants = tenant is { } one
            ? [(_registry.Find(one) ?? throw new UnknownTenantException(one)).Tenant]
            : _registry.List().Select(t => t.Tenant);
        var usage = new List<TenantUsage>();
        foreach (var t in tenants)
        {
            cancellationToken.ThrowIfCancellationRequested();
            usage.Add(SqliteTenantUsageReader.Read(t, FileOf(t), from, to));
        }

        return ValueTask.FromResult<IReadOnlyList<TenantUsage>>(usage);
    }
}
