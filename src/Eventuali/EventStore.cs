namespace Eventuali;

/// <summary>Opens any built-in backend from a URL.</summary>
public static class EventStore
{
    /// <summary>
    /// Opens (and creates when missing) the store at <paramref name="url"/>:
    /// <c>sqlite://path/to/file.db</c>, <c>sqlite://:memory:</c>, <c>memory://</c>,
    /// <c>postgresql://user:pass@host:port/db?schema=name</c>.
    /// </summary>
    public static ValueTask<IEventStore> CreateAsync(string url, EventStoreOptions? options = null, CancellationToken cancellationToken = default)
        => StoreUrl.OpenAsync(url, options ?? EventStoreOptions.Default, cancellationToken);

    /// <summary>
    /// Opens the store at <paramref name="url"/> only when it exists; unlike <see cref="CreateAsync"/> it never creates
    /// a file, tables or a schema. memory:// and sqlite://:memory: open empty as usual.
    /// </summary>
    /// <exception cref="EventStoreConfigurationException">"No such store": the file is missing or empty, or the PostgreSQL schema has no store tables.</exception>
    public static ValueTask<IEventStore> OpenExistingAsync(string url, EventStoreOptions? options = null, CancellationToken cancellationToken = default)
        => StoreUrl.OpenExistingAsync(url, options ?? EventStoreOptions.Default, cancellationToken);

    /// <summary>
    /// Opens the multi-tenant store at <paramref name="url"/>: <c>sqlite://DIR/?tenancy=file</c> (a registry and one
    /// SQLite file per tenant under DIR; <c>&amp;cache=N</c> bounds the open files, default 64) or
    /// <c>postgresql://user:password@host/db?tenancy=schema</c> (the registry in the base schema, a schema per tenant,
    /// one shared connection pool; <c>&amp;cache=N</c> bounds the open tenant stores, default 64). With
    /// <paramref name="create"/> false a missing directory or registry is "No such store". A single tenant's store can
    /// also be opened with <see cref="CreateAsync"/> by adding <c>tenant=ID</c> to the URL.
    /// </summary>
    public static ValueTask<Tenancy.ITenantStoreFactory> OpenTenantsAsync(string url, EventStoreOptions? options = null, bool create = true, CancellationToken cancellationToken = default)
        => StoreUrl.OpenTenantsAsync(url, null, options ?? EventStoreOptions.Default, create, cancellationToken);

    /// <summary>
    /// As <see cref="OpenTenantsAsync(string, EventStoreOptions?, bool, CancellationToken)"/>, for
    /// <c>postgresql://APP@host/db?tenancy=rls</c> (shared tables with row-level security; the URL's user is the
    /// application role) with <paramref name="ownerUrl"/>, the owner role's URL that migrates, converts and provisions
    /// (null: <c>EVENTUALI_OWNER_URL</c>; without either, only tenants' stores open). Other URLs ignore it.
    /// </summary>
    public static ValueTask<Tenancy.ITenantStoreFactory> OpenTenantsAsync(string url, string? ownerUrl, EventStoreOptions? options = null, bool create = true, CancellationToken cancellationToken = default)
        => StoreUrl.OpenTenantsAsync(url, ownerUrl, options ?? EventStoreOptions.Default, create, cancellationToken);

    /// <summary>
    /// Whether <paramref name="url"/> names a whole multi-tenant store (a <c>tenancy=</c> mode and no <c>tenant=</c>):
    /// open it with <see cref="OpenTenantsAsync(string, EventStoreOptions?, bool, CancellationToken)"/> rather than as one store.
    /// </summary>
    public static bool IsMultiTenantUrl(string url)
    {
        ArgumentNullException.ThrowIfNull(url);
        return StoreUrl.IsMultiTenant(url);
    }

    /// <summary>The URL with any password replaced by <c>***</c>, safe to log or print.</summary>
    public static string RedactUrl(string url)
    {
        ArgumentNullException.ThrowIfNull(url);
        return StoreUrl.Redact(url);
    }
}
