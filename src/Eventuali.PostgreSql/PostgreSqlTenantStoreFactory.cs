using System.Collections.Concurrent;
using Eventuali.Tenancy;
using Npgsql;

namespace Eventuali.PostgreSql;

/// <summary>
/// Schema-per-tenant PostgreSQL (<c>postgresql://…/db?tenancy=schema</c>): the registry (tenants, configuration,
/// audit) lives in the base schema (<c>schema=</c>, default <c>eventuali</c>), and each tenant's store in a schema of
/// its own, <c>BASE_t_ID</c> (<see cref="SchemaOf"/>), created and migrated when the tenant is created. Every tenant
/// store shares one connection pool (its tables are schema-qualified, so a pooled connection carries no tenant state),
/// and open stores are kept in a bounded <see cref="TenantStoreCache"/> (<c>cache=N</c>, default
/// <see cref="TenantStoreCache.DefaultCapacity"/>). Each tenant's usage is metered in its own schema, in the append's
/// transaction, and its quotas are enforced there (<see cref="ITenantAdministration"/>).
/// </summary>
public sealed partial class PostgreSqlTenantStoreFactory : ITenantStoreFactory
{
    private readonly string _url;
    private readonly EventStoreOptions _options;
    private readonly PgSettings _settings;
    private readonly PgTenantRegistry _registry;
    private readonly TenantStoreCache _cache;
    private readonly Lock _gate = new();

    // One pool per durability in use (the durability is a connection setting): two at most, whatever the tenant count.
    private readonly Dictionary<Durability, (PgSettings Settings, NpgsqlDataSource Source)> _pools = [];

    // One meter per tenant opened by this factory: a configuration change reaches the open store through it.
    private readonly ConcurrentDictionary<string, PgTenantMeter> _meters = new(StringComparer.Ordinal);

    private PostgreSqlTenantStoreFactory(string url, EventStoreOptions options, PgSettings settings, NpgsqlDataSource source, int capacity, string? analyticsRole)
    {
        _url = url;
        _options = options;
        _settings = settings;
        _pools[options.Durability] = (settings, source);
        _registry = new PgTenantRegistry(source, settings, options.TimeProvider, analyticsRole);
        _cache = new TenantStoreCache(capacity, OpenTenantAsync);
    }

    /// <summary>The base schema: it holds the registry, and names every tenant's schema.</summary>
    public string BaseSchema => _settings.Schema;

    /// <summary>How many tenant stores are open now (at most the cache's capacity while none is held).</summary>
    public int OpenStoreCount => _cache.OpenCount;

    /// <summary>How many connection pools the factory has open: one per durability in use, never one per tenant.</summary>
    public int PoolCount
    {
        get
        {
            lock (_gate)
            {
                return _pools.Count;
            }
        }
    }

    /// <summary>
    /// Opens the multi-tenant store at <paramref name="url"/> (<c>postgresql://user:password@host/db?tenancy=schema</c>,
    /// optionally <c>&amp;schema=BASE</c>, at most <see cref="PgTenancyLocation.MaxBaseSchemaLength"/> characters, and
    /// <c>&amp;cache=N</c>, and <c>&amp;analytics_role=ROLE</c>: the role granted SELECT on the tenants that opt in to
    /// cross-tenant analytics, see <see cref="OpenCrossTenantAnalyticsAsync(CrossTenantAnalyticsOptions, CancellationToken)"/>). With <paramref name="create"/> the registry is made when missing; without it a missing
    /// registry is "No such store".
    /// </summary>
    public static async ValueTask<PostgreSqlTenantStoreFactory> OpenAsync(string url, EventStoreOptions options, bool create = true, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        var (withoutRole, analyticsRole) = PgTenantAnalyticsRole.Take(url);
        var (stripped, capacity, mode) = PgTenancyLocation.ParseMode(withoutRole);
        if (mode != "schema")
        {
            throw new EventStoreConfigurationException("This URL asks for tenancy=rls (shared tables); open it with PostgreSqlRlsTenantStoreFactory or EventStore.OpenTenantsAsync.");
        }

        var settings = PgSettings.Parse(stripped, options);
        PgTenancyLocation.ValidateBase(settings.Schema);
        var source = NpgsqlDataSource.Create(settings.Builder);
        var factory = new PostgreSqlTenantStoreFactory(stripped, options, settings, source, capacity, analyticsRole);
        return await PgErrors.OpenedOrDisposedAsync(factory, settings, async f =>
        {
            if (!create && !await f._registry.ExistsAsync(cancellationToken).ConfigureAwait(false))
            {
                throw new EventStoreConfigurationException($"No such store: schema '{settings.Schema}' of {settings.Describe} has no tenant registry. Check the URL; 'eventuali tenants create' creates one.");
            }

            // Made when missing; an existing registry made by an older version is brought up to date (idempotent, under the set-up lock).
            await f._registry.SetUpAsync(cancellationToken).ConfigureAwait(false);
        }).ConfigureAwait(false);
    }

    /// <summary>The schema that holds <paramref name="tenant"/>'s store: the base schema, <c>_t_</c> and the id (hyphens as underscores).</summary>
    public string SchemaOf(TenantId tenant) => PgTenancyLocation.SchemaOf(_settings.Schema, tenant);

    /// <inheritdoc />
    public async ValueTask<IEventStore> GetStoreAsync(TenantId tenant, CancellationToken cancellationToken = default)
    {
        var info = await Mapped(_registry.FindAsync(tenant, cancellationToken)).ConfigureAwait(false) ?? throw new UnknownTenantException(tenant);
        return info.Suspended ? throw new TenantSuspendedException(tenant) : await _cache.AcquireAsync(tenant, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Registers <paramref name="tenant"/>, creating and migrating its schema first: a crash in between leaves a schema
    /// without a registry row, which creating again adopts. Creating a tenant that exists changes nothing.
    /// </summary>
    public async ValueTask<TenantInfo> CreateTenantAsync(TenantId tenant, CancellationToken cancellationToken = default)
    {
        if (await Mapped(_registry.FindAsync(tenant, cancellationToken)).ConfigureAwait(false) is { } existing)
        {
            return existing;
        }

        var (settings, source) = Pool(_options.Durability);
        var store = await PostgreSqlEventStore.OpenSharedAsync(source, TenantSettings(settings, tenant, null), _options with { ApplyMigrationsOnOpen = true }, cancellationToken).ConfigureAwait(false);
        await store.DisposeAsync().ConfigureAwait(false);
        return await Mapped(_registry.CreateAsync(tenant, cancellationToken)).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async ValueTask<IReadOnlyList<TenantInfo>> ListTenantsAsync(CancellationToken cancellationToken = default)
        => await Mapped(_registry.ListAsync(cancellationToken)).ConfigureAwait(false);

    /// <inheritdoc />
    public async ValueTask SetSuspendedAsync(TenantId tenant, bool suspended, CancellationToken cancellationToken = default)
        => await Mapped(_registry.SetSuspendedAsync(tenant, suspended, SchemaOf(tenant), cancellationToken)).ConfigureAwait(false);

    /// <inheritdoc />
    public async ValueTask<string> RequestDeletionAsync(TenantId tenant, CancellationToken cancellationToken = default)
        => await Mapped(_registry.RequestDeletionAsync(tenant, SchemaOf(tenant), cancellationToken)).ConfigureAwait(false);

    /// <inheritdoc />
    public async ValueTask PurgeTenantAsync(TenantId tenant, string confirmation, CancellationToken cancellationToken = default)
    {
        var (_, token) = await Mapped(_registry.FindWithTokenAsync(tenant, cancellationToken)).ConfigureAwait(false) ?? throw new UnknownTenantException(tenant);
        if (!TenantDeletion.Confirms(token, confirmation))
        {
            throw TenantDeletion.Refused(tenant, token is not null);
        }

        if (!await _cache.TryCloseAsync(tenant).ConfigureAwait(false))
        {
            throw new TenantDeletionException(tenant, $"Tenant '{tenant}' is still in use in this process; release its store and purge again.");
        }

        await Mapped(_registry.PurgeAsync(tenant, confirmation, SchemaOf(tenant), cancellationToken)).ConfigureAwait(false);
        _meters.TryRemove(tenant.Value, out _);
    }

    /// <inheritdoc />
    public async ValueTask<IReadOnlyList<TenantAuditRecord>> ReadAuditAsync(CancellationToken cancellationToken = default)
        => await Mapped(_registry.ReadAuditAsync(cancellationToken)).ConfigureAwait(false);

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await _cache.DisposeAsync().ConfigureAwait(false);
        List<NpgsqlDataSource> sources;
        lock (_gate)
        {
            sources = [.. _pools.Values.Select(p => p.Source)];
            _pools.Clear();
        }

        foreach (var source in sources)
        {
            await source.DisposeAsync().ConfigureAwait(false);
        }
    }

    private async ValueTask<IEventStore> OpenTenantAsync(TenantId tenant, CancellationToken cancellationToken)
    {
        var configuration = await Mapped(_registry.GetConfigurationAsync(tenant, cancellationToken)).ConfigureAwait(false);
        var meter = _meters.GetOrAdd(tenant.Value, static (_, state) => new PgTenantMeter(state.tenant, TenantQuotas.None, state.clock), (tenant, clock: _options.TimeProvider));
        meter.Configure(configuration);
        var durability = configuration.Durability ?? _options.Durability;
        var (settings, source) = Pool(durability);
        var store = await PostgreSqlEventStore.OpenSharedAsync(source, TenantSettings(settings, tenant, meter), Tenancy.TenantSettings.Apply(_options with { Durability = durability }, configuration), cancellationToken).ConfigureAwait(false);
        return Tenancy.TenantSettings.Wrap(store, tenant, configuration);
    }

    private PgSettings TenantSettings(PgSettings pool, TenantId tenant, PgTenantMeter? meter)
        => pool with { Schema = SchemaOf(tenant), Meter = meter, MetricsNameOverride = _settings.MetricsName };

    private (PgSettings Settings, NpgsqlDataSource Source) Pool(Durability durability)
    {
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_pools.Count == 0, this);
            if (!_pools.TryGetValue(durability, out var pool))
            {
                var settings = PgSettings.Parse(_url, _options with { Durability = durability });
                pool = (settings, NpgsqlDataSource.Create(settings.Builder));
                _pools[durability] = pool;
            }

            return pool;
        }
    }

    private Task<T> Mapped<T>(Task<T> work) => PgErrors.MappedAsync(work, _settings);

    private Task Mapped(Task work) => PgErrors.MappedAsync(work, _settings);
}
