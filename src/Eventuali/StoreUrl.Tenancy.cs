using Eventuali.PostgreSql;
using Eventuali.Sqlite;
using Eventuali.Tenancy;

namespace Eventuali;

internal static partial class StoreUrl
{
    /// <summary>Opens the multi-tenant store at <paramref name="url"/> (<c>sqlite://DIR/?tenancy=file</c>, <c>postgresql://…?tenancy=schema</c>).</summary>
    public static async ValueTask<ITenantStoreFactory> OpenTenantsAsync(string url, string? ownerUrl, EventStoreOptions options, bool create, CancellationToken cancellationToken)
    {
        var (stripped, tenant, tenancy) = SplitTenant(url);
        if (!tenancy)
        {
            throw new EventStoreConfigurationException($"The store URL '{Redact(url)}' names a single store; a multi-tenant store takes ?tenancy=file (SQLite: a directory with a file per tenant) or ?tenancy=schema (PostgreSQL: a schema per tenant) or ?tenancy=rls (PostgreSQL: shared tables with row-level security).");
        }

        if (tenant is not null)
        {
            throw new EventStoreConfigurationException("The tenant= option selects one tenant's store; leave it out to open the whole multi-tenant store.");
        }

        var (scheme, rest) = Split(stripped);
        return scheme switch
        {
            "sqlite" => await SqliteTenantStoreFactory.OpenAsync(rest, options, create, cancellationToken).ConfigureAwait(false),
            "postgresql" when IsRls(rest) => await PostgreSqlRlsTenantStoreFactory.OpenAsync(rest, ownerUrl, options, create && HasOwner(ownerUrl), cancellationToken).ConfigureAwait(false),
            "postgresql" => await PostgreSqlTenantStoreFactory.OpenAsync(rest, options, create, cancellationToken).ConfigureAwait(false),
            _ => throw new EventStoreConfigurationException($"The {scheme}:// store has no tenancy modes; use sqlite://DIR/?tenancy=file or postgresql://…?tenancy=schema."),
        };
    }

    /// <summary>
    /// When <paramref name="url"/> names one tenant of a multi-tenant store (<c>?tenancy=file&amp;tenant=ID</c>, <c>?tenancy=schema&amp;tenant=ID</c>), that
    /// tenant's store (owning its factory); null for a single-store URL. A tenancy URL without a tenant, or a tenant
    /// without tenancy, is a configuration error.
    /// </summary>
    private static async ValueTask<IEventStore?> TryOpenTenantAsync(string url, EventStoreOptions options, bool create, CancellationToken cancellationToken)
    {
        var (stripped, tenant, tenancy) = SplitTenant(url);
        if (!tenancy)
        {
            return tenant is null
                ? null
                : throw new EventStoreConfigurationException($"A tenant was given, but the store URL '{Redact(stripped)}' is not a multi-tenant store; use e.g. sqlite://DIR/?tenancy=file or postgresql://…?tenancy=schema.");
        }

        if (tenant is null)
        {
            throw new EventStoreConfigurationException($"The store URL '{Redact(stripped)}' is a multi-tenant store: name the tenant (the CLI's --tenant ID, or tenant=ID in the URL), or open it with EventStore.OpenTenantsAsync.");
        }

        var id = TenantId.Parse(tenant);
        var factory = await OpenTenantsAsync(stripped, null, options, create, cancellationToken).ConfigureAwait(false);
        return await factory.OpenOwnedStoreAsync(id, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Whether a postgresql:// URL asks for shared tables (<c>tenancy=rls</c>).</summary>
    private static bool IsRls(string url)
        => url.Contains("tenancy=rls", StringComparison.OrdinalIgnoreCase);

    /// <summary>
    /// Whether an owner URL is at hand (given, or in EVENTUALI_OWNER_URL): only then does opening a shared-table store
    /// set it up; without one the application role opens tenants' stores of a store set up before.
    /// </summary>
    private static bool HasOwner(string? ownerUrl)
        => !string.IsNullOrWhiteSpace(ownerUrl) || !string.IsNullOrWhiteSpace(Environment.GetEnvironmentVariable(PostgreSqlRlsTenantStoreFactory.OwnerUrlVariable));

    /// <summary>Whether <paramref name="url"/> asks for a tenancy mode and names no tenant.</summary>
    public static bool IsMultiTenant(string url) => SplitTenant(url) is { Tenancy: true, Tenant: null };

    /// <summary>The URL without its tenant= option, that option's value, and whether it asks for a tenancy mode.</summary>
    private static (string Url, string? Tenant, bool Tenancy) SplitTenant(string url)
    {
        var question = url.IndexOf('?', StringComparison.Ordinal);
        if (question < 0)
        {
            return (url, null, false);
        }

        string? tenant = null;
        var tenancy = false;
        var kept = new List<string>();
        foreach (var pair in url[(question + 1)..].Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var equals = pair.IndexOf('=', StringComparison.Ordinal);
            var key = equals < 0 ? pair : pair[..equals];
            if (key.Equals("tenant", StringComparison.OrdinalIgnoreCase))
            {
                tenant = Uri.UnescapeDataString(equals < 0 ? string.Empty : pair[(equals + 1)..]);
                continue;
            }

            tenancy |= key.Equals("tenancy", StringComparison.OrdinalIgnoreCase);
            kept.Add(pair);
        }

        var stripped = kept.Count == 0 ? url[..question] : url[..(question + 1)] + string.Join('&', kept);
        return (stripped, tenant, tenancy);
    }
}
