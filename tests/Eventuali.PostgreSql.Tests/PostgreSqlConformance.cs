using System.Runtime.CompilerServices;
using Eventuali.Conformance;
using Eventuali.PostgreSql;

namespace Eventuali.PostgreSql.Tests;

/// <summary>Every conformance test on a real PostgreSQL server, each store in a fresh schema (dropped at the end).</summary>
public sealed class PgConformanceFixture : IStoreFixture, IAsyncDisposable
{
    private readonly PostgreSqlStoreFixture _schemas = new();
    private readonly ConditionalWeakTable<IEventStore, string> _urls = [];

    public string BackendName => "postgresql";

    public bool Persists => true;

    // Positions are (transaction id << 20) + n: increasing, never reused, not contiguous.
    public bool PositionsAreContiguous => false;

    // jsonb cannot hold \u0000; such an append is refused with an ArgumentException naming the stream.
    public bool StoresJsonWithNulCharacters => false;

    public async ValueTask<IEventStore> CreateStoreAsync(EventStoreOptions? options = null, CancellationToken cancellationToken = default)
    {
        var url = await _schemas.OpenUrlAsync("conf");
        var store = await PostgreSqlEventStore.OpenAsync(url, options ?? EventStoreOptions.Default, cancellationToken);
        _urls.Add(store, url);
        return store;
    }

    public async ValueTask<IEventStore> ReopenAsync(IEventStore store, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(store);
        if (!_urls.TryGetValue(store, out var url))
        {
            throw new ArgumentException("The store was not created by this fixture.", nameof(store));
        }

        var options = store.Options;
        await store.DisposeAsync();
        var reopened = await PostgreSqlEventStore.OpenAsync(url, options, cancellationToken);
        _urls.Add(reopened, url);
        return reopened;
    }

    public ValueTask DisposeAsync() => _schemas.DisposeAsync();
}

public sealed class PgAppend(PgConformanceFixture f) : AppendConformance<PgConformanceFixture>(f);

public sealed class PgIdempotency(PgConformanceFixture f) : IdempotencyConformance<PgConformanceFixture>(f);

public sealed class PgStreamRead(PgConformanceFixture f) : StreamReadConformance<PgConformanceFixture>(f);

public sealed class PgGlobalLog(PgConformanceFixture f) : GlobalLogConformance<PgConformanceFixture>(f);

public sealed class PgConcurrency(PgConformanceFixture f) : ConcurrencyConformance<PgConformanceFixture>(f);

public sealed class PgMetadata(PgConformanceFixture f) : MetadataConformance<PgConformanceFixture>(f);

public sealed class PgPayload(PgConformanceFixture f) : PayloadConformance<PgConformanceFixture>(f);

public sealed class PgEdgeInput(PgConformanceFixture f) : EdgeInputConformance<PgConformanceFixture>(f);

public sealed class PgStreamId(PgConformanceFixture f) : StreamIdConformance<PgConformanceFixture>(f);

public sealed class PgTypedAggregate(PgConformanceFixture f) : TypedAggregateConformance<PgConformanceFixture>(f);

public sealed class PgPersistence(PgConformanceFixture f) : PersistenceConformance<PgConformanceFixture>(f);
