namespace Eventuali.Diagnostics;

/// <summary>The attribute (tag) names Eventuali puts on its spans and measurements, and their fixed values.</summary>
public static class EventualiAttributes
{
    /// <summary>The backend: <see cref="SystemSqlite"/>, <see cref="SystemPostgreSql"/> or <see cref="SystemOther"/> (the in-memory store).</summary>
    public const string DbSystemName = "db.system.name";

    /// <summary>The operation: one of the <see cref="EventualiOperations"/> names.</summary>
    public const string DbOperationName = "db.operation.name";

    /// <summary>A tenant's tier (<c>TenantConfiguration.Tier</c>): the label per-tenant metrics are aggregated under.</summary>
    public const string TenantTier = "eventuali.tenant.tier";

    /// <summary>A tenant's id: only on the top-N tenant series, which are off unless <see cref="TenantMetrics.TopTenants"/> is set.</summary>
    public const string TenantId = "eventuali.tenant.id";

    /// <summary>The database the store lives in (SQLite: the file name; PostgreSQL: <c>database|schema</c>).</summary>
    public const string DbNamespace = "db.namespace";

    /// <summary>The stream's category (the part of its id before the first '-'), never the stream id.</summary>
    public const string DbCollectionName = "db.collection.name";

    /// <summary>Why an operation failed: the exception's full type name, or the SQLSTATE a database reported.</summary>
    public const string ErrorType = "error.type";

    /// <summary>The stream id; on spans only, and only when <see cref="EventStoreOptions.RecordStreamIdInTraces"/> is set.</summary>
    public const string StreamId = "eventuali.stream.id";

    /// <summary>Events an append carried or a read returned.</summary>
    public const string EventCount = "eventuali.event.count";

    /// <summary>The subscription's name.</summary>
    public const string SubscriptionName = "eventuali.subscription.name";

    /// <summary>The projection's name (also on <see cref="EventualiInstruments.DeadLetters"/>).</summary>
    public const string ProjectionName = "eventuali.projection.name";

    /// <summary>A lease's name (a projection's, or <c>projection/partition</c> for a partition).</summary>
    public const string LeaseName = "eventuali.lease.name";

    /// <summary>Whether a lost lease was noticed by the epoch check refusing a commit (<c>true</c>|<c>false</c>).</summary>
    public const string LeaseCommitRefused = "eventuali.lease.commit_refused";

    /// <summary>The route a message relay publishes (relay lag gauges).</summary>
    public const string RelayRoute = "eventuali.relay.route";

    /// <summary>The saga's name.</summary>
    public const string SagaName = "eventuali.saga.name";

    /// <summary>Whether an aggregate load used a snapshot (<c>true</c>|<c>false</c>).</summary>
    public const string SnapshotHit = "eventuali.snapshot.hit";

    /// <summary>What an aggregate cache lookup came to: <c>hit</c>, <c>behind</c> (events after the entry replayed), <c>miss</c>, <c>invalid</c> (the entry no longer belonged to the stream).</summary>
    public const string CacheResult = "eventuali.cache.result";

    /// <summary>The aggregate cache operation that failed: <c>get</c>, <c>set</c> or <c>remove</c>.</summary>
    public const string CacheOperation = "eventuali.cache.operation";

    /// <summary>Who served a read of a store with replicas: <c>replica</c> or <c>primary</c>.</summary>
    public const string ReadServedBy = "eventuali.read.served_by";

    /// <summary>A read replica's host:port.</summary>
    public const string Replica = "eventuali.replica";

    /// <summary>A connection's state: <c>idle</c> or <c>used</c>.</summary>
    public const string ConnectionState = "db.client.connection.state";

    /// <summary>The pool's name: the store's location without credentials.</summary>
    public const string ConnectionPoolName = "db.client.connection.pool.name";

    /// <summary>The <see cref="DbSystemName"/> of the SQLite store.</summary>
    public const string SystemSqlite = "sqlite";

    /// <summary>The <see cref="DbSystemName"/> of the PostgreSQL store.</summary>
    public const string SystemPostgreSql = "postgresql";

    /// <summary>The <see cref="DbSystemName"/> of any other store (the in-memory one).</summary>
    public const string SystemOther = "other_sql";
}

/// <summary>The <c>db.operation.name</c> values of Eventuali's spans and measurements (span names are <c>{operation} {target}</c>).</summary>
public static class EventualiOperations
{
    /// <summary>An append to a stream.</summary>
    public const string Append = "append";

    /// <summary>A read of one stream.</summary>
    public const string ReadStream = "read_stream";

    /// <summary>A read of the global log.</summary>
    public const string ReadAll = "read_all";

    /// <summary>An aggregate loaded (snapshot and replay).</summary>
    public const string LoadAggregate = "load_aggregate";

    /// <summary>An aggregate's pending events saved.</summary>
    public const string SaveAggregate = "save_aggregate";

    /// <summary>A snapshot written.</summary>
    public const string SaveSnapshot = "save_snapshot";

    /// <summary>A snapshot read.</summary>
    public const string LoadSnapshot = "load_snapshot";

    /// <summary>One event delivered to a subscription's handler.</summary>
    public const string Deliver = "deliver";

    /// <summary>One batch applied by a projection.</summary>
    public const string Project = "project";

    /// <summary>One batch of events (or one event) handled by a saga.</summary>
    public const string SagaStep = "saga_step";

    /// <summary>A schema migration run.</summary>
    public const string Migrate = "migrate";
}
