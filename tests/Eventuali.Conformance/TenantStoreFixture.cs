using System.Collections.Concurrent;
using System.Text;
using Eventuali.Subscriptions;
using Eventuali.Tenancy;

namespace Eventuali.Conformance;

/// <summary>
/// The store fixture of a multi-tenant backend: every store is a fresh tenant (c-1, c-2, …) with a factory of its own
/// over the fixture's place (a directory, a base schema, a shared-table deployment), where a first tenant, noise,
/// already holds events and a checkpoint under the stream ids the suite uses (order-1, account-1, s): the conformance
/// classes only pass when nothing of another tenant's rows shows through. Reopening disposes the store and its factory
/// and opens the tenant's store from a new factory, as another process would.
/// </summary>
public abstract class TenantStoreFixture : IStoreFixture, IAsyncDisposable
{
    private static readonly TenantId Noise = TenantId.Parse("noise");
    private readonly ConcurrentDictionary<IEventStore, (ITenantStoreFactory Factory, TenantId Tenant)> _stores = new();
    private readonly SemaphoreSlim _noise = new(1, 1);
    private bool _noiseWritten;
    private int _count;

    /// <inheritdoc />
    public abstract string BackendName { get; }

    /// <inheritdoc />
    public virtual bool Persists => true;

    /// <inheritdoc />
    public abstract bool PositionsAreContiguous { get; }

    /// <inheritdoc />
    public virtual bool StoresJsonWithNulCharacters => true;

    /// <summary>
    /// Whether every factory <see cref="OpenFactoryAsync"/> opens is over the same place, so the noise tenant is written
    /// once; false when each factory is a place of its own (memory), which then gets noise of its own.
    /// </summary>
    protected virtual bool OnePlace => true;

    /// <summary>
    /// Opens a factory over the fixture's place with <paramref name="options"/>; with <paramref name="reopen"/> as a
    /// process that did not set the place up would (no create; shared tables: the application role alone).
    /// </summary>
    protected abstract ValueTask<ITenantStoreFactory> OpenFactoryAsync(EventStoreOptions? options, bool reopen, CancellationToken cancellationToken);

    /// <summary>Removes the place, after every store and factory of the fixture is disposed.</summary>
    protected virtual ValueTask DeletePlaceAsync() => ValueTask.CompletedTask;

    /// <inheritdoc />
    public async ValueTask<IEventStore> CreateStoreAsync(EventStoreOptions? options = null, CancellationToken cancellationToken = default)
    {
        var factory = await OpenFactoryAsync(options, reopen: false, cancellationToken);
        await WriteNoiseAsync(factory, cancellationToken);
        var tenant = TenantId.Parse($"c-{Interlocked.Increment(ref _count)}");
        await factory.CreateTenantAsync(tenant, cancellationToken);
        var store = await factory.GetStoreAsync(tenant, cancellationToken);
        _stores[store] = (factory, tenant);
        return store;
    }

    /// <inheritdoc />
    public async ValueTask<IEventStore> ReopenAsync(IEventStore store, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(store);
        if (!Persists)
        {
            throw new NotSupportedException($"The {BackendName} store does not persist; Persists is false.");
        }

        if (!_stores.TryRemove(store, out var entry))
        {
            throw new ArgumentException("The store was not created by this fixture.", nameof(store));
        }

        var options = store.Options;
        await store.DisposeAsync();
        await entry.Factory.DisposeAsync();
        var factory = await OpenFactoryAsync(options, reopen: true, cancellationToken);
        var reopened = await factory.GetStoreAsync(entry.Tenant, cancellationToken);
        _stores[reopened] = (factory, entry.Tenant);
        return reopened;
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        foreach (var (store, (factory, _)) in _stores)
        {
            await store.DisposeAsync();
            await factory.DisposeAsync();
        }

        await DeletePlaceAsync();
        _noise.Dispose();
        GC.SuppressFinalize(this);
    }

    private async Task WriteNoiseAsync(ITenantStoreFactory factory, CancellationToken cancellationToken)
    {
        await _noise.WaitAsync(cancellationToken);
        try
        {
            if (_noiseWritten)
            {
                return;
            }

            await factory.CreateTenantAsync(Noise, cancellationToken);
            await using (var other = await factory.GetStoreAsync(Noise, cancellationToken))
            {
                foreach (var stream in new[] { "order-1", "account-1", "s" })
                {
                    await other.AppendAsync(stream, ExpectedVersion.Any, [new EventData(EventData.NewEventId(), "noise", Encoding.UTF8.GetBytes("{\"n\": 0}"))], cancellationToken);
                }

                if (other.GetFeature<ICheckpointStore>() is { } checkpoints)
                {
                    await checkpoints.SaveCheckpointAsync("projection", 1, cancellationToken);
                }
            }

            _noiseWritten = OnePlace;
        }
        finally
        {
            _noise.Release();
        }
    }
}
