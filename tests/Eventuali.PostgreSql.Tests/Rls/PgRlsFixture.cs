using System.Collections.Concurrent;
using Eventuali.Conformance;
using Eventuali.Subscriptions;
using Eventuali.Tenancy;

namespace Eventuali.PostgreSql.Tests.Rls;

/// <summary>
/// A store bound to a fresh tenant of one shared-table deployment whose first tenant holds events (and a checkpoint)
/// under the stream ids the suite uses (order-1, account-1, s), as do the tenants of the class's earlier tests: the
/// conformance classes only pass when nothing of another tenant's rows shows through. One deployment per test class;
/// each store has a factory of its own, and reopening opens a new factory as the application role alone.
/// </summary>
public sealed class PgRlsFixture : IStoreFixture, IAsyncDisposable
{
    private readonly SemaphoreSlim _setUp = new(1, 1);
    private readonly ConcurrentDictionary<IEventStore, (PostgreSqlRlsTenantStoreFactory Factory, TenantId Tenant)> _stores = new();
    private PgRls? _rls;
    private int _count;

    public string BackendName => "postgresql tenancy=rls";

    public bool Persists => true;

    public bool PositionsAreContiguous => false;

    public bool StoresJsonWithNulCharacters => false;

    public async ValueTask<IEventStore> CreateStoreAsync(EventStoreOptions? options = null, CancellationToken cancellationToken = default)
    {
        var rls = await SetUpAsync(cancellationToken);
        var factory = await rls.OpenAsync(options: options);
        var tenant = TenantId.Parse($"c-{Interlocked.Increment(ref _count)}");
        await factory.CreateTenantAsync(tenant, cancellationToken);
        var store = await factory.GetStoreAsync(tenant, cancellationToken);
        _stores[store] = (factory, tenant);
        return store;
    }

    public async ValueTask<IEventStore> ReopenAsync(IEventStore store, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(store);
        if (!_stores.TryRemove(store, out var entry))
        {
            throw new ArgumentException("The store was not created by this fixture.", nameof(store));
        }

        var options = store.Options;
        await store.DisposeAsync();
        await entry.Factory.DisposeAsync();
        var factory = await _rls!.OpenAsync(owner: false, options: options);
        var reopened = await factory.GetStoreAsync(entry.Tenant, cancellationToken);
        _stores[reopened] = (factory, entry.Tenant);
        return reopened;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var (store, (factory, _)) in _stores)
        {
            await store.DisposeAsync();
            await factory.DisposeAsync();
        }

        if (_rls is not null)
        {
            await _rls.DisposeAsync();
        }

        _setUp.Dispose();
    }

    // The roles, the schema and the noise tenant, once per class.
    private async Task<PgRls> SetUpAsync(CancellationToken cancellationToken)
    {
        await _setUp.WaitAsync(cancellationToken);
        try
        {
            if (_rls is not null)
            {
                return _rls;
            }

            var rls = await PgRls.CreateAsync();
            await using var factory = await rls.OpenAsync();
            var noise = TenantId.Parse("noise");
            await factory.CreateTenantAsync(noise, cancellationToken);
            await using (var other = await factory.GetStoreAsync(noise, cancellationToken))
            {
                foreach (var stream in new[] { "order-1", "account-1", "s" })
                {
                    await other.AppendAsync(stream, ExpectedVersion.Any, [PgRls.Event("noise", 0)], cancellationToken);
                }

                await other.GetFeature<ICheckpointStore>()!.SaveCheckpointAsync("projection", 1, cancellationToken);
            }

            return _rls = rls;
        }
        finally
        {
            _setUp.Release();
        }
    }
}
