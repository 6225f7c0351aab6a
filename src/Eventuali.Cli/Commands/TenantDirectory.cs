using Eventuali.Sqlite;
using Eventuali.Tenancy;

namespace Eventuali.Cli.Commands;

/// <summary>
/// <c>serve</c> and <c>apikeys</c> over a multi-tenant URL (<c>sqlite://DIR/?tenancy=file</c>, no tenant named): the
/// tenants' stores, and the server's own store <c>DIR/server.db</c>, which holds the API keys (every tenant's) and the
/// access audit of the server. A URL naming one tenant (<c>--tenant ID</c> or <c>tenant=ID</c>) is a plain store, whose
/// keys live in that tenant's own file, like any single store's.
/// </summary>
internal static class TenantDirectory
{
    /// <summary>The server's own store, next to the registry (tenants.db) and the tenants' files (data/).</summary>
    public const string ServerStoreFile = "server.db";

    /// <summary>Opens the tenants of <paramref name="url"/> (creating the directory with <paramref name="create"/>).</summary>
    public static async ValueTask<SqliteTenantStoreFactory> OpenTenantsAsync(string url, bool create, CancellationToken ct)
    {
        var factory = await EventStore.OpenTenantsAsync(url, EventStoreOptions.Default, create, ct).ConfigureAwait(false);
        if (factory is SqliteTenantStoreFactory sqlite)
        {
            return sqlite;
        }

        await factory.DisposeAsync().ConfigureAwait(false);
        throw new UsageException("Only a SQLite tenant directory (sqlite://DIR/?tenancy=file) can be served with all its tenants.");
    }

    /// <summary>The URL of the server's own store of the tenant directory <paramref name="directory"/>.</summary>
    public static string ServerStoreUrl(string directory) => "sqlite://" + Path.Combine(directory, ServerStoreFile);

    /// <summary>
    /// The store <c>apikeys</c> keeps keys in for <paramref name="url"/>: the server's own store of a tenant directory
    /// (the key's <paramref name="tenant"/>, when given, must be registered there), else the store the URL names.
    /// </summary>
    public static async ValueTask<IEventStore> OpenKeyStoreAsync(string url, string? tenant, bool create, CancellationToken ct)
    {
        if (!EventStore.IsMultiTenantUrl(url))
        {
            return create ? await CommonOptions.OpenOrCreateAsync(url, ct).ConfigureAwait(false) : await CommonOptions.OpenAsync(url, ct).ConfigureAwait(false);
        }

        var tenants = await OpenTenantsAsync(url, create, ct).ConfigureAwait(false);
        await using (tenants.ConfigureAwait(false))
        {
            if (tenant is not null)
            {
                var id = TenantId.Parse(tenant);
                if ((await tenants.ListTenantsAsync(ct).ConfigureAwait(false)).All(t => t.Tenant != id))
                {
                    throw new UnknownTenantException(id);
                }
            }

            var server = ServerStoreUrl(tenants.Directory);
            return create ? await CommonOptions.OpenOrCreateAsync(server, ct).ConfigureAwait(false) : await CommonOptions.OpenAsync(server, ct).ConfigureAwait(false);
        }
    }
}
