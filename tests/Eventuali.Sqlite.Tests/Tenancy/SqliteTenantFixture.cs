using System.Collections.Concurrent;
using System.Text;
using Eventuali.Conformance;
using Eventuali.Tenancy;

namespace Eventuali.Sqlite.Tests.Tenancy;

/// <summary>
/// A store bound to one tenant of a file-per-tenant directory, with another tenant of the same directory already
/// holding events (same stream ids the suite uses, e.g. order-1): the conformance suite only passes when nothing of
/// the other tenant shows through. One directory per store; reopening closes the factory and opens it again.
/// </summary>
public sealed class SqliteTenantFixture : IStoreFixture, IAsyncDisposable
{
    private static readonly TenantId Tenant = TenantId.Parse("conformance");
    private readonly ConcurrentDictionary<IEventStore, (SqliteTenantStoreFactory Factory, string Directory)> _stores = new();

    public string BackendName => "sqlite tenancy=file";

    public bool Persists => true;

    public bool PositionsAreContiguous => true;

    public async ValueTask<IEventStore> CreateStoreAsync(EventStoreOptions? options = null, CancellationToken cancellationToken = default)
    {
        var directory = Path.Combine(Path.GetTempPath(), "eventuali-tenancy-tests", Guid.NewGuid().ToString("N"));
        options ??= new EventStoreOptions { Durability = Durability.Relaxed };
        var factory = await SqliteTenantStoreFactory.OpenAsync(directory + "/?tenancy=file", options, cancellationToken: cancellationToken);
        var noise = TenantId.Parse("noise");
        await factory.CreateTenantAsync(noise, cancellationToken);
        var other = await factory.GetStoreAsync(noise, cancellationToken);
        await using (other)
        {
            foreach (var stream in new[] { "order-1", "account-1", "s" })
            {
                await other.AppendAsync(stream, ExpectedVersion.Any, [new EventData(EventData.NewEventId(), "noise", Encoding.UTF8.GetBytes("{}"))], cancellationToken);
            }
        }

        await factory.CreateTenantAsync(Tenant, cancellationToken);
        var store = await factory.GetStoreAsync(Tenant, cancellationToken);
        _stores[store] = (factory, directory);
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
        var factory = await SqliteTenantStoreFactory.OpenAsync(entry.Directory + "/?tenancy=file", options, create: false, cancellationToken);
        var reopened = await factory.GetStoreAsync(Tenant, cancellationToken);
        _stores[reopened] = (factory, entry.Directory);
        return reopened;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var (store, (factory, directory)) in _stores)
        {
            await store.DisposeAsync();
            await factory.DisposeAsync();
            try
            {
                Directory.Delete(directory, recursive: true);
            }
            catch (IOException)
            {
                // Cleaned by the OS with the rest of the temp directory.
            }
        }
    }
}
