using System.Collections.Concurrent;
using Eventuali.Tenancy;

namespace Eventuali.Sqlite;

/// <summary>
/// File-per-tenant SQLite (<c>sqlite://DIR/?tenancy=file</c>): the registry is <c>DIR/tenants.db</c>, and each
/// tenant's events live in their own store file <c>DIR/data/ID.db</c>, named from the validated tenant id only. Open
/// stores are kept in a bounded <see cref="TenantStoreCache"/> (default <see cref="TenantStoreCache.DefaultCapacity"/>,
/// <c>cache=N</c> in the URL), so the number of open files stays bounded however many tenants there are. Each tenant's
/// usage is metered in its own file, in the append's transaction, and its quotas are enforced there
/// (<see cref="ITenantAdministration"/>).
/// </summary>
public sealed partial class SqliteTenantStoreFactory : ITenantStoreFactory
{
    private readonly SqliteTenantRegistry _registry;
    private readonly TenantStoreCache _cache;
    private readonly EventStoreOptions _options;
    private readonly string _query;

    // One meter per tenant opened by this factory: a configuration change reaches the open store through it.
    private readonly ConcurrentDictionary<string, TenantMeter> _meters = new(StringComparer.Ordinal);

    private SqliteTenantStoreFactory(string directory, SqliteTenantRegistry registry, EventStoreOptions options, int capacity)
    {
        Directory = directory;
        _registry = registry;
        _options = options;
        _query = Query(options.Durability);
        _cache = new TenantStoreCache(capacity, OpenTenantAsync);
    }

    /// <summary>The directory holding the registry and the tenants' files.</summary>
    public string Directory { get; }

    /// <summary>How many tenant stores are open now (at most the cache's capacity while none is held).</summary>
    public int OpenStoreCount => _cache.OpenCount;

    /// <summary>
    /// Opens the tenant directory <paramref name="pathAndQuery"/> (what follows <c>sqlite://</c>: <c>DIR/?tenancy=file</c>,
    /// optionally with <c>&amp;durability=full|relaxed</c> and <c>&amp;cache=N</c>). With <paramref name="create"/> the
    /// directory and its registry are made when missing; without it a missing registry is "No such store".
    /// </summary>
    public static ValueTask<SqliteTenantStoreFactory> OpenAsync(string pathAndQuery, EventStoreOptions options, bool create = true, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        cancellationToken.ThrowIfCancellationRequested();
        var (directory, durability, capacity) = SqliteTenancyLocation.Parse(pathAndQuery, options.Durability);
        if (create)
        {
            System.IO.Directory.CreateDirectory(Path.Combine(directory, "data"));
        }
        else if (!System.IO.Directory.Exists(directory))
        {
            throw new EventStoreConfigurationException($"No such store: the tenant directory '{directory}' does not exist. Check the path; 'eventuali tenants create' creates it.");
        }

        var registry = SqliteTenantRegistry.Open(directory, create, options.TimeProvider);
        return ValueTask.FromResult(new SqliteTenantStoreFactory(directory, registry, options with { Durability = durability }, capacity));
    }

    /// <summary>The file that holds <paramref name="tenant"/>'s events (it exists once the tenant's store was first opened).</summary>
    public string FileOf(TenantId tenant) => Path.Combine(Directory, "data", tenant.Value + ".db");

    /// <inheritdoc />
    public ValueTask<IEventStore> GetStoreAsync(TenantId tenant, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var info = _registry.Find(tenant) ?? throw new UnknownTenantException(tenant);
        return info.Suspended ? throw new TenantSuspendedException(tenant) : _cache.AcquireAsync(tenant, cancellationToken);
    }

    /// <inheritdoc />
    public ValueTask<TenantInfo> CreateTenantAsync(TenantId tenant, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return ValueTask.FromResult(_registry.Create(tenant));
    }

    /// <inheritdoc />
    public ValueTask<IReadOnlyList<TenantInfo>> ListTenantsAsync(CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return ValueTask.FromResult(_registry.List());
    }

    /// <inheritdoc />
    public ValueTask SetSuspendedAsync(TenantId tenant, bool suspended, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        _registry.SetSuspended(tenant, suspended);
        return ValueTask.CompletedTask;
    }

    /// <inheritdoc />
    public ValueTask<string> RequestDeletionAsync(TenantId tenant, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return ValueTask.FromResult(_registry.RequestDeletion(tenant));
    }

    /// <inheritdoc />
    public async ValueTask PurgeTenantAsync(TenantId tenant, string confirmation, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var (_, token) = _registry.FindWithToken(tenant) ?? throw new UnknownTenantException(tenant);
        if (!TenantDeletion.Confirms(token, confirmation))
        {
            throw TenantDeletion.Refused(tenant, token is not null);
        }

        if (!await _cache.TryCloseAsync(tenant).ConfigureAwait(false))
        {
            throw new TenantDeletionException(tenant, $"Tenant '{tenant}' is still in use in this process; release its store and purge again.");
        }

        // Files first, then the row: a crash in between leaves a tenant marked for deletion that purging again finishes.
        var file = FileOf(tenant);
        foreach (var path in new[] { file + "-wal", file + "-shm", file })
        {
            File.Delete(path);
        }

        _registry.Remove(tenant);
    }

    /// <inheritdoc />
    public ValueTask<IReadOnlyList<TenantAuditRecord>> ReadAuditAsync(CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return ValueTask.FromResult(_registry.ReadAudit());
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await _cache.DisposeAsync().ConfigureAwait(false);
        _registry.Dispose();
    }

    private async ValueTask<IEventStore> OpenTenantAsync(TenantId tenant, CancellationToken cancellationToken)
    {
        var configuration = _registry.GetConfiguration(tenant);
        var meter = _meters.GetOrAdd(tenant.Value, static (_, t) => new TenantMeter(t, TenantQuotas.None), tenant);
        meter.Configure(configuration);
        var query = configuration.Durability is { } durability ? Query(durability) : _query;
        var store = await SqliteEventStore.OpenAsync(FileOf(tenant) + query, TenantSettings.Apply(_options, configuration), SqliteMigrations.Catalog, meter, cancellationToken).ConfigureAwait(false);
        return TenantSettings.Wrap(store, tenant, configuration);
    }

    private static string Query(Durability durability) => "?durability=" + (durability == Durability.Full ? "full" : "relaxed");
}
