using Eventuali.Conformance;
using Eventuali.InMemory;

namespace Eventuali.Core.Tests;

/// <summary>The in-memory reference store: fresh per call, nothing persists, positions contiguous.</summary>
public sealed class MemoryFixture : IStoreFixture
{
    public string BackendName => "memory";

    public bool Persists => false;

    public bool PositionsAreContiguous => true;

    public ValueTask<IEventStore> CreateStoreAsync(EventStoreOptions? options = null, CancellationToken cancellationToken = default)
        => ValueTask.FromResult<IEventStore>(new InMemoryEventStore(options));

    public ValueTask<IEventStore> ReopenAsync(IEventStore store, CancellationToken cancellationToken = default)
        => throw new NotSupportedException("The memory store does not persist; Persists is false.");
}

public sealed class MemoryAppend(MemoryFixture f) : AppendConformance<MemoryFixture>(f);

public sealed class MemoryIdempotency(MemoryFixture f) : IdempotencyConformance<MemoryFixture>(f);

public sealed class MemoryStreamRead(MemoryFixture f) : StreamReadConformance<MemoryFixture>(f);

public sealed class MemoryGlobalLog(MemoryFixture f) : GlobalLogConformance<MemoryFixture>(f);

public sealed class MemoryConcurrency(MemoryFixture f) : ConcurrencyConformance<MemoryFixture>(f);

public sealed class MemoryMetadata(MemoryFixture f) : MetadataConformance<MemoryFixture>(f);

public sealed class MemoryPayload(MemoryFixture f) : PayloadConformance<MemoryFixture>(f);

public sealed class MemoryEdgeInput(MemoryFixture f) : EdgeInputConformance<MemoryFixture>(f);

public sealed class MemoryStreamId(MemoryFixture f) : StreamIdConformance<MemoryFixture>(f);

public sealed class MemoryTypedAggregate(MemoryFixture f) : TypedAggregateConformance<MemoryFixture>(f);

public sealed class MemoryPersistence(MemoryFixture f) : PersistenceConformance<MemoryFixture>(f);
