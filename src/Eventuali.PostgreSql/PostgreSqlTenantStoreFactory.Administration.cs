using Eventuali.Tenancy;
using Npgsql;
using NpgsqlTypes;

namespace Eventuali.PostgreSql;

/// <summary>Per-tenant configuration (in the registry) and usage (in each tenant's schema).</summary>
public sealed partial class PostgreSqlTenantStoreFactory : ITenantAdministration
{
    /// <inheritdoc />
    public async ValueTask<TenantConfiguration> GetConfigurationAsync(TenantId tenant, CancellationToken cancellationToken = default)
        => await Mapped(_registry.GetConfigurationAsync(tenant, cancellationToken)).ConfigureAwait(false);

    /// <inheritdoc />
    public async ValueTask SetConfigurationAsync(TenantId tenant, TenantConfiguration configuration, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        TenantConfigurationRules.Validate(configuration);
        await Mapped(_registry.SetConfigurationAsync(tenant, configuration, SchemaOf(tenant), cancellationToken)).ConfigureAwait(false);
        if (_meters.TryGetValue(tenant.Value, out var meter))
        {
            meter.Configure(configuration);
        }

        // Settings applied when the store opens (durability, retention, snapshots, encryption): an idle open store is
        // closed so that the next hold opens it with them; one still held keeps its settings until released.
        await _cache.TryCloseAsync(tenant).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async ValueTask<IReadOnlyList<TenantUsage>> ReadUsageAsync(TenantId? tenant, DateOnly? from, DateOnly? to, CancellationToken cancellationToken = default)
    {
        TenantConfigurationRules.ValidateRange(from, to);
        IEnumerable<TenantId> tenants = tenant is { } one
            ? [(await Mapped(_registry.FindAsync(one, cancellationToken)).ConfigureAwait(false) ?? throw new UnknownTenantException(one)).Tenant]
            : (await Mapped(_registry.ListAsync(cancellationToken)).ConfigureAwait(false)).Select(t => t.Tenant);
        var usage = new List<TenantUsage>();
        var (settings, source) = Pool(_options.Durability);
        foreach (var t in tenants)
        {
            usage.Add(await Mapped(ReadUsageAsync(source, settings with { Schema = SchemaOf(t) }, t, from, to, cancellationToken)).ConfigureAwait(false));
        }

        return usage;
    }

    // Straight from the tenant's schema, without opening its store: suspended tenants are reported too.
    private static async Task<TenantUsage> ReadUsageAsync(NpgsqlDataSource source, PgSettings settings, TenantId tenant, DateOnly? from, DateOnly? to, CancellationToken ct)
    {
        var sql = new SqlText(settings);
        var conn = await source.OpenConnectionAsync(ct).ConfigureAwait(false);
        await using (conn.ConfigureAwait(false))
        {
            return await PgTenantUsageQuery.ReadAsync(conn, null, sql["usage_report"], sql["usage_storage"], settings.Schema, tenant, from, to, ct).ConfigureAwait(false);
        }
    }
}
