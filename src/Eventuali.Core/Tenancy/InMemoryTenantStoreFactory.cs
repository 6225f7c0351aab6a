using Eventuali.InMemory;

namespace Eventuali.Tenancy;

/// <summary>
/// The in-memory reference of <see cref="ITenantStoreFactory"/>: an <see cref="InMemoryEventStore"/> per tenant and
/// an in-memory registry. Nothing persists; meant for tests and as the behaviour other backends match.
/// </summary>
public sealed class InMemoryTenantStoreFactory : ITenantStoreFactory
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, Entry> _tenants = new(StringComparer.Ordinal);
    private readonly EventStoreOptions _options;
    private bool _disposed;

    /// <summary>Creates an empty factory whose stores use <paramref name="options"/> (default: <see cref="EventStoreOptions.Default"/>).</summary>
    public InMemoryTenantStoreFactory(EventStoreOptions? options = null) => _options = options ?? EventStoreOptions.Default;

    /// <inheritdoc />
    public ValueTask<IEventStore> GetStoreAsync(TenantId tenant, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var key = tenant.Value;
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (!_tenants.TryGetValue(key, out var entry))
            {
                throw new UnknownTenantException(tenant);
            }

            if (entry.Info.Suspended)
            {
                throw new TenantSuspendedException(tenant);
            }

            return ValueTask.FromResult<IEventStore>(entry.Store);
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
                entry = new Entry(new TenantInfo(tenant, false, _options.TimeProvider.GetUtcNow()), new InMemoryEventStore(_options));
                _tenants.Add(key, entry);
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
        var key = tenant.Value;
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (!_tenants.TryGetValue(key, out var entry))
            {
                throw new UnknownTenantException(tenant);
            }

            _tenants[key] = entry with { Info = entry.Info with { Suspended = suspended } };
            return ValueTask.CompletedTask;
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

    private sealed record Entry(TenantInfo Info, InMemoryEventStore Store);
}
