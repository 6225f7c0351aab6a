using System.Runtime.CompilerServices;
using Eventuali.Conformance;

namespace Eventuali.PostgreSql.Tests;

/// <summary>
/// The conformance suite's core (appends, reads, concurrency, the global log, subscriptions, checkpoints,
/// projections with leases and partitions) through PgBouncer in transaction mode, LISTEN and leases on the direct
/// server. Each store in a fresh schema, dropped at the end (over a direct connection).
/// </summary>
public sealed class PgBouncerFixture : IStoreFixture, IAsyncDisposable
{
    private readonly List<string> _schemas = [];
    private readonly Lock _gate = new();
    private readonly ConditionalWeakTable<IEventStore, string> _urls = [];

    public string BackendName => "postgresql";

    public bool Persists => true;

    public bool PositionsAreContiguous => false;

    public bool StoresJsonWithNulCharacters => false;

    public async ValueTask<IEventStore> CreateStoreAsync(EventStoreOptions? options = null, CancellationToken cancellationToken = default)
    {
        await PgTestServer.UrlAsync(); // the server behind the bouncer answers, or a clear failure
        var schema = PgTestServer.NewSchemaName("bouncer");
        lock (_gate)
        {
            _schemas.Add(schema);
        }

        var url = PgTestServer.WithSchema(PgBouncerServer.Url, schema);
        IEventStore store;
        try
        {
            store = await PostgreSqlEventStore.OpenAsync(url, options ?? EventStoreOptions.Default, cancellationToken);
        }
        catch (EventStoreUnavailableException ex)
        {
            throw new InvalidOperationException(
                $"PgBouncer at {PgUrl.Redact(PgBouncerServer.Url)} is not answering. Start it with scripts/pgbouncer.sh " +
                "(or set EVENTUALI_TEST_PGBOUNCER to its URL).", ex);
        }

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

    public async ValueTask DisposeAsync()
    {
        foreach (var schema in _schemas)
        {
            await PgTestServer.DropSchemaAsync(schema);
        }
    }
}

public sealed class BouncerAppend(PgBouncerFixture f) : AppendConformance<PgBouncerFixture>(f);

public sealed class BouncerStreamRead(PgBouncerFixture f) : StreamReadConformance<PgBouncerFixture>(f);

public sealed class BouncerGlobalLog(PgBouncerFixture f) : GlobalLogConformance<PgBouncerFixture>(f);

public sealed class BouncerConcurrency(PgBouncerFixture f) : ConcurrencyConformance<PgBouncerFixture>(f);

public sealed class BouncerIdempotency(PgBouncerFixture f) : IdempotencyConformance<PgBouncerFixture>(f);

public sealed class BouncerSubscriptions(PgBouncerFixture f) : SubscriptionConformance<PgBouncerFixture>(f);

public sealed class BouncerCheckpoints(PgBouncerFixture f) : CheckpointConformance<PgBouncerFixture>(f);

public sealed class BouncerProjections(PgBouncerFixture f) : ProjectionConformance<PgBouncerFixture>(f);

public sealed class BouncerPartitions(PgBouncerFixture f) : PartitionConformance<PgBouncerFixture>(f);
