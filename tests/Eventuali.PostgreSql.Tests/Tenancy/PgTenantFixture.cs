using System.Collections.Concurrent;
using Eventuali.Conformance;
using Eventuali.Subscriptions;
using Eventuali.Tenancy;

namespace Eventuali.PostgreSql.Tests.Tenancy;

/// <summary>
/// A store bound to a fresh tenant of a schema-per-tenant base schema whose first tenant holds events (and a checkpoint)
/// under the stream ids the suite uses (order-1, account-1, s), as do the tenants of the class's earlier tests: the
/// conformance classes only pass when nothing of another tenant shows through. One base schema per test class; each
/// store has a factory of its own over it, and reopening closes that factory and opens a new one.
/// </summary>
public sealed class PgTenantFixture : IStoreFixture, IAsyncDisposable
{
    private readonly string _base = PgTenants.NewBase();
    private readonly ConcurrentDictionary<IEventStore, (PostgreSqlTenantStoreFactory Factory, TenantId Tenant)> _stores = new();
    private readonly SemaphoreSlim _noise = new(1, 1);
    private bool _noiseWritten;
    private int _count;

    public string BackendName => "postgresql tenancy=schema";

    public bool Persists => true;

    public bool PositionsAreContiguous => false;

    public bool StoresJsonWithNulCharacters => false;

    public async ValueTask<IEventStore> CreateStoreAsync(EventStoreOptions? options = null, CancellationToken cancellationToken = default)
    {
        var factory = await PgTenants.OpenAsync(_base, options: options);
        await WriteNoiseAsync(factory, cancellationToken);
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
        var factory = await PostgreSqlTenantStoreFactory.OpenAsync(await PgTenants.UrlAsync(_base), options, create: false, cancellationToken);
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

        await PgTenants.DropAsync(_base);
        _noise.Dispose();
    }

    private async Task WriteNoiseAsync(PostgreSqlTenantStoreFactory factory, CancellationToken cancellationToken)
    {
        await _noise.WaitAsync(cancellationToken);
        try
        {
            if (_noiseWritten)
            {
                return;
            }

            var noise = TenantId.Parse("noise");
            await factory.CreateTenantAsync(noise, cancellationToken);
            await using (var other = await factory.GetStoreAsync(noise, cancellationToken))
            {
                foreach (var stream in new[] { "order-1", "account-1", "s" })
                {
                    await other.AppendAsync(stream, ExpectedVersion.Any, [PgTenants.Event("noise", 0)], cancellationToken);
                }

                await other.GetFeature<ICheckpointStore>()!.SaveCheckpointAsync("projection", 1, cancellationToken);
            }

            _noiseWritten = true;
        }
        finally
        {
            _noise.Release();
        }
    }
}
