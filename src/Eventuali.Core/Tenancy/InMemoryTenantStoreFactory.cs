using Eventuali.InMemory;

namespace Eventuali.Tenancy;

/// <summary>
/// The in-memory reference of <see cref="ITenantStoreFactory"/>: an <see cref="InMemoryEventStore"/> per tenant and
/// an in-memory registry, with the same usage metering and quotas as the SQLite tenant stores
/// (<see cref="ITenantAdministration"/>). Nothing persists; meant for tests and as the behaviour other backends match.
/// </summary>
public sealed partial class InMemoryTenantStoreFactory : ITenantStoreFactory
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, Entry> _tenants = new(StringComparer.Ordinal);
    private readonly List<TenantAuditRecord> _audit = [];
    private readonly EventStoreOptions _options;
    private bool _disposed;

    /// <summary>Creates an empty factory whose stores use <paramref name="options"/> (default: <see cref="EventStoreOptions.Default"/>).</summary>
    public InMemoryTenantStoreFactory(EventStoreOptions? options = null) => _options = options ?? EventStoreOptions.Default;

    /// <inheritdoc />
    public ValueTask<IEventStore> GetStoreAsync(TenantId tenant, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
        {
            var entry = Find(tenant);
            if (entry.Info.Suspended)
            {
                throw new TenantSuspendedException(tenant);
            }

            // A hold whose disposal leaves the tenant's data alone: the factory owns the store.
            // The tenant's settings apply to each hold handed out from now on.
            var handle = new TenantStoreHandle(entry.Store, null, TenantSettings.Apply(_options, entry.Configuration));
            return ValueTask.FromResult(TenantSettings.Wrap(handle, tenant, entry.Configuration));
        }
    }

    /// <inheritdoc />
    public ValueTask<TenantInfo> CreateTenantAsync(TenantId tenant, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var key = tenant.Value;
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (!_tenants.TryGetValue(key, out var entry))
            {
                var meter = new InMemoryTenantMeter(tenant, _options.TimeProvider);
                entry = new Entry(new TenantInfo(tenant, false, _options.TimeProvider.GetUtcNow()), new InMemoryEventStore(_options, meter), null, meter, TenantConfiguration.Default);
                _tenants.Add(key, entry);
                Audit(tenant, "created");
            }

            return ValueTask.FromResult(entry.Info);
        }
    }

    /// <inheritdoc />
    public ValueTask<IReadOnlyList<TenantInfo>> ListTenantsAsync(CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
        {
            IReadOnlyList<TenantInfo> list = [.. _tenants.Values.Select(e => e.Info).OrderBy(i => i.Tenant.Value, StringComparer.Ordinal)];
            return ValueTask.FromResult(list);
        }
    }

    /// <inheritdoc />
    public ValueTask SetSuspendedAsync(TenantId tenant, bool suspended, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
        {
            var entry = Find(tenant);
            var cancelsDeletion = !suspended && entry.Token is not null;
            _tenants[tenant.Value] = entry with { Info = entry.Info with { Suspended = suspended, DeletionRequested = entry.Info.DeletionRequested && suspended }, Token = suspended ? entry.Token : null };
            Audit(tenant, cancelsDeletion ? "deletion-cancelled" : suspended ? "suspended" : "resumed");
            return ValueTask.CompletedTask;
        }
    }

    /// <inheritdoc />
    public ValueTask<string> RequestDeletionAsync(TenantId tenant, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
        {
            var entry = Find(tenant);
            if (entry.Token is { } existing)
            {
                return ValueTask.FromResult(existing);
            }

            var token = TenantDeletion.NewToken();
            _tenants[tenant.Value] = entry with { Info = entry.Info with { Suspended = true, DeletionRequested = true }, Token = token };
            Audit(tenant, "deletion-requested");
            return ValueTask.FromResult(token);
        }
    }

    /// <inheritdoc />
    public async ValueTask PurgeTenantAsync(TenantId tenant, string confirmation, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(confirmation);
        cancellationToken.ThrowIfCancellationRequested();
        Entry entry;
        lock (_gate)
        {
            entry = Find(tenant);
            if (!TenantDeletion.Confirms(entry.Token, confirmation))
            {
                throw TenantDeletion.Refused(tenant, entry.Token is not null);
            }

            _tenants.Remove(tenant.Value);
            Audit(tenant, "purged");
        }

        await entry.Store.DisposeAsync().ConfigureAwait(false);
    }

    /// <inheritdoc />
    public ValueTask<IReadOnlyList<TenantAuditRecord>> ReadAuditAsync(CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
        {
            return ValueTask.FromResult<IReadOnlyList<TenantAuditRecord>>([.. _audit]);
        }
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        List<Entry> entries;
        lock (_gate)
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            entries = [.. _tenants.Values];
        }

        foreach (var entry in entries)
        {
            await entry.Store.DisposeAsync().ConfigureAwait(false);
        }
    }

    private Entry Find(TenantId tenant)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        return _tenants.TryGetValue(tenant.Value, out var entry) ? entry : throw new UnknownTenantException(tenant);
    }

    private void Audit(TenantId tenant, string action) => _audit.Add(new TenantAuditRecord(_options.TimeProvider.GetUtcNow(), tenant, action));

    private sealed record Entry(TenantInfo Info, InMemoryEventStore Store, string? Token, InMemoryTenantMeter Meter, TenantConfiguration Configuration);
}
