using System.Collections.Concurrent;
using Eventuali.Tenancy;
using Npgsql;

namespace Eventuali.PostgreSql;

/// <summary>
/// Shared tables with row-level security (<c>postgresql://APP@host/db?tenancy=rls</c>): every tenant's rows live in the
/// same tables of one schema (<c>schema=</c>, default <c>eventuali</c>), each row carrying its tenant_id, and
/// PostgreSQL's row-level security (enabled and forced on every table) shows a transaction only the rows of the tenant
/// it set with <c>set_config('eventuali.tenant', id, true)</c>. The URL's user is the application role: it must own
/// nothing and have neither superuser nor BYPASSRLS (checked at open). The owner role's URL (<c>ownerUrl</c>, else
/// <c>EVENTUALI_OWNER_URL</c>) migrates, converts and provisions; without it, the factory opens tenants' stores only.
/// Every tenant store shares the application role's one pool; open stores are kept in a bounded <see cref="TenantStoreCache"/>.
/// </summary>
public sealed partial class PostgreSqlRlsTenantStoreFactory : ITenantStoreFactory
{
    /// <summary>The environment variable naming the owner role's URL when none is passed.</summary>
    public const string OwnerUrlVariable = "EVENTUALI_OWNER_URL";

    private readonly EventStoreOptions _options;
    private readonly PgSettings _settings;
    private readonly NpgsqlDataSource _app;
    private readonly NpgsqlDataSource? _owner;
    private readonly PgTenantRegistry _tenantView;
    private readonly PgTenantRegistry? _registry;
    private readonly PgRlsSetup _rls;
    private readonly TenantStoreCache _cache;
    private readonly ConcurrentDictionary<string, PgTenantMeter> _meters = new(StringComparer.Ordinal);

    private PostgreSqlRlsTenantStoreFactory(EventStoreOptions options, PgSettings settings, NpgsqlDataSource app, PgSettings? ownerSettings, NpgsqlDataSource? owner, int capacity)
    {
        _options = options;
        _settings = settings;
        _app = app;
        _owner = owner;

        // The registry's own statements have no tenant_id in their keys: loaded without the shared-table rewrite.
        var registrySettings = settings with { Rls = false };
        _tenantView = new PgTenantRegistry(app, registrySettings, options.TimeProvider, tenantScoped: true);
        _registry = owner is null ? null : new PgTenantRegistry(owner, (ownerSettings ?? settings) with { Rls = false }, options.TimeProvider);
        _rls = new PgRlsSetup(settings);
        _cache = new TenantStoreCache(capacity, OpenTenantAsync);
    }

    /// <summary>The schema that holds the shared tables and the registry.</summary>
    public string Schema => _settings.Schema;

    /// <summary>How many tenant stores are open now.</summary>
    public int OpenStoreCount => _cache.OpenCount;

    /// <summary>
    /// Opens the shared-table store at <paramref name="url"/> (the application role's URL, <c>?tenancy=rls</c>, optionally
    /// <c>&amp;schema=NAME</c> and <c>&amp;cache=N</c>). <paramref name="ownerUrl"/> (else <see cref="OwnerUrlVariable"/>)
    /// is the owner role's URL; with <paramref name="create"/> it migrates and converts the schema first. The
    /// application role is checked before anything else is done with it.
    /// </summary>
    public static async ValueTask<PostgreSqlRlsTenantStoreFactory> OpenAsync(string url, string? ownerUrl, EventStoreOptions options, bool create = true, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        var (stripped, capacity) = PgTenancyLocation.Parse(url);
        var settings = PgSettings.Parse(stripped, options) with { Rls = true };
        PgTenancyLocation.ValidateBase(settings.Schema);
        if (settings.Replicas.Count > 0)
        {
            throw new EventStoreConfigurationException("tenancy=rls does not take replica= hosts yet: a replica's reads would need the tenant set on them too. Leave replica= out.");
        }

        ownerUrl = string.IsNullOrWhiteSpace(ownerUrl) ? Environment.GetEnvironmentVariable(OwnerUrlVariable) : ownerUrl;
        PgSettings? ownerSettings = null;
        if (!string.IsNullOrWhiteSpace(ownerUrl))
        {
            ownerSettings = PgSettings.Parse(PgTenancyLocation.Parse(WithTenancy(ownerUrl)).Url, options) with { Rls = true, Schema = settings.Schema };
        }
        else if (create)
        {
            throw new EventStoreConfigurationException($"Setting up the shared-table (tenancy=rls) store needs the owner role's URL: pass --owner-url URL or set {OwnerUrlVariable}. The store URL's user is the application role, which owns nothing.");
        }

        var app = NpgsqlDataSource.Create(settings.Builder);
        var owner = ownerSettings is null ? null : NpgsqlDataSource.Create(ownerSettings.Builder);
        var factory = new PostgreSqlRlsTenantStoreFactory(options, settings, app, ownerSettings, owner, capacity);
        return await PgErrors.OpenedOrDisposedAsync(factory, settings, async f =>
        {
            await f._rls.CheckApplicationRoleAsync(app, ownerSettings?.User, cancellationToken).ConfigureAwait(false);
            if (create)
            {
                await f._registry!.SetUpAsync(cancellationToken).ConfigureAwait(false);
                await new PgRlsSetup(ownerSettings!).SetUpAsync(owner!, settings.User, options, cancellationToken).ConfigureAwait(false);
                await f._rls.CheckApplicationRoleAsync(app, ownerSettings!.User, cancellationToken).ConfigureAwait(false);
            }
            else if (!await f._rls.IsConvertedAsync(app, cancellationToken).ConfigureAwait(false))
            {
                throw new EventStoreConfigurationException($"No such store: schema '{settings.Schema}' of {settings.Describe} holds no shared tenant tables. Check the URL; 'eventuali tenants create' with --owner-url (or {OwnerUrlVariable}) creates them.");
            }
        }).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async ValueTask<IEventStore> GetStoreAsync(TenantId tenant, CancellationToken cancellationToken = default)
    {
        var info = await Mapped(_tenantView.FindAsync(tenant, cancellationToken)).ConfigureAwait(false) ?? throw new UnknownTenantException(tenant);
        return info.Suspended ? throw new TenantSuspendedException(tenant) : await _cache.AcquireAsync(tenant, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Registers <paramref name="tenant"/> after writing its own rows (its store id) as the owner: a crash in between
    /// leaves rows without a registry entry, which creating again adopts. Creating a tenant that exists changes nothing.
    /// </summary>
    public async ValueTask<TenantInfo> CreateTenantAsync(TenantId tenant, CancellationToken cancellationToken = default)
    {
        var registry = Owner();
        if (await Mapped(registry.FindAsync(tenant, cancellationToken)).ConfigureAwait(false) is { } existing)
        {
            return existing;
        }

        await Mapped(_rls.ProvisionAsync(_owner!, tenant, cancellationToken)).ConfigureAwait(false);
        return await Mapped(registry.CreateAsync(tenant, cancellationToken)).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async ValueTask<IReadOnlyList<TenantInfo>> ListTenantsAsync(CancellationToken cancellationToken = default)
        => await Mapped(Owner().ListAsync(cancellationToken)).ConfigureAwait(false);

    /// <inheritdoc />
    public async ValueTask SetSuspendedAsync(TenantId tenant, bool suspended, CancellationToken cancellationToken = default)
        => await Mapped(Owner().SetSuspendedAsync(tenant, suspended, null, cancellationToken)).ConfigureAwait(false);

    /// <inheritdoc />
    public async ValueTask<string> RequestDeletionAsync(TenantId tenant, CancellationToken cancellationToken = default)
        => await Mapped(Owner().RequestDeletionAsync(tenant, null, cancellationToken)).ConfigureAwait(false);

    /// <summary>Deletes every row of the tenant from every shared table with its registry entry and an audit line, in one transaction.</summary>
    public async ValueTask PurgeTenantAsync(TenantId tenant, string confirmation, CancellationToken cancellationToken = default)
    {
        var registry = Owner();
        var (_, token) = await Mapped(registry.FindWithTokenAsync(tenant, cancellationToken)).ConfigureAwait(false) ?? throw new UnknownTenantException(tenant);
        if (!TenantDeletion.Confirms(token, confirmation))
        {
            throw TenantDeletion.Refused(tenant, token is not null);
        }

        if (!await _cache.TryCloseAsync(tenant).ConfigureAwait(false))
        {
            throw new TenantDeletionException(tenant, $"Tenant '{tenant}' is still in use in this process; release its store and purge again.");
        }

        await Mapped(registry.PurgeAsync(tenant, confirmation, (conn, tx) => _rls.RemoveTenantDataAsync(conn, tx, tenant, cancellationToken), cancellationToken)).ConfigureAwait(false);
        _meters.TryRemove(tenant.Value, out _);
    }

    /// <inheritdoc />
    public async ValueTask<IReadOnlyList<TenantAuditRecord>> ReadAuditAsync(CancellationToken cancellationToken = default)
        => await Mapped(Owner().ReadAuditAsync(cancellationToken)).ConfigureAwait(false);

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await _cache.DisposeAsync().ConfigureAwait(false);
        await _app.DisposeAsync().ConfigureAwait(false);
        if (_owner is not null)
        {
            await _owner.DisposeAsync().ConfigureAwait(false);
        }
    }

    private async ValueTask<IEventStore> OpenTenantAsync(TenantId tenant, CancellationToken cancellationToken)
    {
        var configuration = await Mapped(_tenantView.GetConfigurationAsync(tenant, cancellationToken)).ConfigureAwait(false);
        var meter = _meters.GetOrAdd(tenant.Value, static (_, state) => new PgTenantMeter(state.tenant, TenantQuotas.None, state.clock), (tenant, clock: _options.TimeProvider));
        meter.Configure(configuration);

        // One pool for every tenant; the durability is set per transaction only in the schema mode, so a tenant's
        // durability setting here is the factory's (documented).
        var settings = _settings with { Tenant = tenant, Meter = meter, MetricsNameOverride = _settings.MetricsName };
        var store = await PostgreSqlEventStore.OpenTenantBoundAsync(_app, settings, Tenancy.TenantSettings.Apply(_options, configuration), cancellationToken).ConfigureAwait(false);
        return Tenancy.TenantSettings.Wrap(store, tenant, configuration);
    }

    private PgTenantRegistry Owner()
        => _registry ?? throw new EventStoreConfigurationException($"Administering tenants of the shared-table (tenancy=rls) store needs the owner role's URL: pass --owner-url URL or set {OwnerUrlVariable}.");

    private static string WithTenancy(string url) => url + (url.Contains('?', StringComparison.Ordinal) ? "&" : "?") + "tenancy=rls";

    private Task<T> Mapped<T>(Task<T> work) => PgErrors.MappedAsync(work, _settings);

    private Task Mapped(Task work) => PgErrors.MappedAsync(work, _settings);
}
