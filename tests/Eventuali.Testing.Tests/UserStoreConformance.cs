using System.Collections.Concurrent;
using Eventuali.Conformance;
using Eventuali.InMemory;

namespace Eventuali.Testing.Tests;

// How a user's own IEventStore enrols in the same conformance suite the built-in backends run: a fixture that hands
// out fresh stores, and one line per suite class. The store here is a user-style decorator (it counts appends per
// stream for the application's metrics) over the in-memory store.

/// <summary>The user's store: every call goes to the inner store; appends are counted on the way.</summary>
public sealed class MeteredEventStore(IEventStore inner) : IEventStore
{
    public ConcurrentDictionary<string, int> Appends { get; } = new(StringComparer.Ordinal);

    public EventStoreOptions Options => inner.Options;

    public async ValueTask<AppendResult> AppendAsync(string streamId, ExpectedVersion expectedVersion, IReadOnlyList<EventData> events, CancellationToken cancellationToken = default)
    {
        var result = await inner.AppendAsync(streamId, expectedVersion, events, cancellationToken);
        Appends.AddOrUpdate(streamId, 1, (_, n) => n + 1);
        return result;
    }

    public IAsyncEnumerable<RecordedEvent> ReadStreamAsync(string streamId, long fromVersion = StreamVersion.Start, int maxCount = int.MaxValue, ReadDirection direction = ReadDirection.Forward, CancellationToken cancellationToken = default)
        => inner.ReadStreamAsync(streamId, fromVersion, maxCount, direction, cancellationToken);

    public IAsyncEnumerable<RecordedEvent> ReadAllAsync(long fromPosition = 1, int maxCount = int.MaxValue, EventFilter? filter = null, CancellationToken cancellationToken = default)
        => inner.ReadAllAsync(fromPosition, maxCount, filter, cancellationToken);

    public ValueTask<long?> GetStreamVersionAsync(string streamId, CancellationToken cancellationToken = default) => inner.GetStreamVersionAsync(streamId, cancellationToken);

    public ValueTask<long> GetHeadPositionAsync(CancellationToken cancellationToken = default) => inner.GetHeadPositionAsync(cancellationToken);

    // Capabilities (snapshots, checkpoints, ...) of the inner store stay reachable through the decorator.
    public TFeature? GetFeature<TFeature>()
        where TFeature : class
        => this as TFeature ?? inner.GetFeature<TFeature>();

    public ValueTask DisposeAsync() => inner.DisposeAsync();
}

// snippet: conformance
/// <summary>The fixture the suite asks for fresh stores: what a user writes once for their store.</summary>
public sealed class MeteredStoreFixture : IStoreFixture
{
    public string BackendName => "metered (user store)";

    public bool Persists => false;

    public bool PositionsAreContiguous => true;

    public ValueTask<IEventStore> CreateStoreAsync(EventStoreOptions? options = null, CancellationToken cancellationToken = default)
        => ValueTask.FromResult<IEventStore>(new MeteredEventStore(new InMemoryEventStore(options)));

    public ValueTask<IEventStore> ReopenAsync(IEventStore store, CancellationToken cancellationToken = default)
        => throw new NotSupportedException("The metered store keeps events in memory; Persists is false.");
}

public sealed class MeteredAppend(MeteredStoreFixture f) : AppendConformance<MeteredStoreFixture>(f);

public sealed class MeteredIdempotency(MeteredStoreFixture f) : IdempotencyConformance<MeteredStoreFixture>(f);

public sealed class MeteredStreamRead(MeteredStoreFixture f) : StreamReadConformance<MeteredStoreFixture>(f);

public sealed class MeteredGlobalLog(MeteredStoreFixture f) : GlobalLogConformance<MeteredStoreFixture>(f);

// end snippet
public sealed class MeteredConcurrency(MeteredStoreFixture f) : ConcurrencyConformance<MeteredStoreFixture>(f);

public sealed class MeteredTypedAggregate(MeteredStoreFixture f) : TypedAggregateConformance<MeteredStoreFixture>(f);

public sealed class MeteredPersistence(MeteredStoreFixture f) : PersistenceConformance<MeteredStoreFixture>(f);
