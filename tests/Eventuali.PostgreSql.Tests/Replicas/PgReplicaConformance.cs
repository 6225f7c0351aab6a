using System.Runtime.CompilerServices;
using Eventuali.Conformance;

namespace Eventuali.PostgreSql.Tests;

/// <summary>
/// The read side of the conformance suite (stream reads, the global log, subscriptions, checkpoints, appends with
/// their reads) on stores configured with the test standby as a read replica. Each store in a fresh schema, which
/// the replica sees only once it has replayed it: until then the primary serves.
/// </summary>
public sealed class PgReplicaFixture : IStoreFixture, IAsyncDisposable
{
    private readonly List<string> _schemas = [];
    private readonly Lock _gate = new();
    private readonly ConditionalWeakTable<IEventStore, string> _schemaOf = [];

    public string BackendName => "postgresql";

    public bool Persists => true;

    public bool PositionsAreContiguous => false;

    public bool StoresJsonWithNulCharacters => false;

    public async ValueTask<IEventStore> CreateStoreAsync(EventStoreOptions? options = null, CancellationToken cancellationToken = default)
    {
        var schema = PgTestServer.NewSchemaName("replica");
        lock (_gate)
        {
            _schemas.Add(schema);
        }

        await PgReplicaServer.EnsureAsync();
        var store = await PostgreSqlEventStore.OpenAsync(PgTestServer.WithSchema(PgReplicaServer.Url, schema), options ?? EventStoreOptions.Default, cancellationToken);
        _schemaOf.Add(store, schema);
        return store;
    }

    public async ValueTask<IEventStore> ReopenAsync(IEventStore store, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(store);
        if (!_schemaOf.TryGetValue(store, out var schema))
        {
            throw new ArgumentException("The store was not created by this fixture.", nameof(store));
        }

        var options = store.Options;
        await store.DisposeAsync();
        var reopened = await PostgreSqlEventStore.OpenAsync(PgTestServer.WithSchema(PgReplicaServer.Url, schema), options, cancellationToken);
        _schemaOf.Add(reopened, schema);
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

public sealed class ReplicaAppend(PgReplicaFixture f) : AppendConformance<PgReplicaFixture>(f);

public sealed class ReplicaStreamRead(PgReplicaFixture f) : StreamReadConformance<PgReplicaFixture>(f);

public sealed class ReplicaGlobalLog(PgReplicaFixture f) : GlobalLogConformance<PgReplicaFixture>(f);

public sealed class ReplicaSubscriptions(PgReplicaFixture f) : SubscriptionConformance<PgReplicaFixture>(f);

public sealed class ReplicaCheckpoints(PgReplicaFixture f) : CheckpointConformance<PgReplicaFixture>(f);
