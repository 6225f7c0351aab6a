using Eventuali.Tenancy;
using Npgsql;
using NpgsqlTypes;

namespace Eventuali.PostgreSql;

/// <summary>Per-tenant configuration (in the registry) and usage (the tenant's rows of tenant_usage), read as the owner.</summary>
public sealed partial class PostgreSqlRlsTenantStoreFactory : ITenantAdministration
{
    /// <inheritdoc />
    public async ValueTask<TenantConfiguration> GetConfigurationAsync(TenantId tenant, CancellationToken cancellationToken = default)
        => await Mapped((_registry ?? _tenantView).GetConfigurationAsync(tenant, cancellationToken)).ConfigureAwait(false);

    /// <inheritdoc />
    public async ValueTask SetConfigurationAsync(TenantId tenant, TenantConfiguration configuration, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        TenantConfigurationRules.Validate(configuration);
        if (configuration.AllowCrossTenantAnalytics || configuration.Tier is not null)
        {
            throw new ArgumentException("Shared-table (tenancy=rls) tenants do not keep the cross-tenant analytics opt-in or a metrics tier yet; use tenancy=schema or tenancy=file for them, or leave them unset here.", nameof(configuration));
        }

        if (configuration.Durability is not null)
        {
            // Every tenant shares the application role's one pool, whose durability is the URL's.
            throw new ArgumentException("tenancy=rls stores share one connection pool, so a tenant cannot have a durability of its own; set durability= on the store URL, or use tenancy=schema.", nameof(configuration));
        }

        await Mapped(Owner().SetConfigurationAsync(tenant, configuration, null, cancellationToken)).ConfigureAwait(false);
        if (_meters.TryGetValue(tenant.Value, out var meter))
        {
            meter.Quotas = configuration.Quotas ?? TenantQuotas.None;
        }
    }

    /// <inheritdoc />
    public async ValueTask<IReadOnlyList<TenantUsage>> ReadUsageAsync(TenantId? tenant, DateOnly? from, DateOnly? to, CancellationToken cancellationToken = default)
    {
        TenantConfigurationRules.ValidateRange(from, to);
        var registry = Owner();
        IEnumerable<TenantId> tenants = tenant is { } one
            ? [(await Mapped(registry.FindAsync(one, cancellationToken)).ConfigureAwait(false) ?? throw new UnknownTenantException(one)).Tenant]
            : (await Mapped(registry.ListAsync(cancellationToken)).ConfigureAwait(false)).Select(t => t.Tenant);
        var sql = new SqlText(_settings);
        var size = SqlFile.Load("rls.sql", _settings)["tenant_size"];
        var usage = new List<TenantUsage>();
        foreach (var t in tenants)
        {
            usage.Add(await Mapped(_rls.InTenantTransactionAsync(_owner!, t, (conn, tx) => ReadUsageAsync(conn, tx, sql, size, t, from, to, cancellationToken), cancellationToken)).ConfigureAwait(false));
        }

        return usage;
    }

    // In the tenant's transaction as the owner: row-level security keeps both statements to the tenant's rows.
    private Task<TenantUsage> ReadUsageAsync(NpgsqlConnection conn, NpgsqlTransaction tx, SqlText sql, string size, TenantId tenant, DateOnly? from, DateOnly? to, CancellationToken ct)
        => PgTenantUsageQuery.ReadAsync(conn, tx, sql["usage_report"], size, _settings.Schema, tenant, from, to, ct);
}
