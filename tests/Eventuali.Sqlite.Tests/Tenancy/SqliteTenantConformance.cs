using Eventuali.Conformance;

namespace Eventuali.Sqlite.Tests.Tenancy;

// Every capability of the backend, run on a store bound to one tenant of a file-per-tenant directory whose other
// tenant already holds events under the same stream ids.
public sealed class SqliteTenantAppend(SqliteTenantFixture f) : AppendConformance<SqliteTenantFixture>(f);

public sealed class SqliteTenantIdempotency(SqliteTenantFixture f) : IdempotencyConformance<SqliteTenantFixture>(f);

public sealed class SqliteTenantStreamRead(SqliteTenantFixture f) : StreamReadConformance<SqliteTenantFixture>(f);

public sealed class SqliteTenantGlobalLog(SqliteTenantFixture f) : GlobalLogConformance<SqliteTenantFixture>(f);

public sealed class SqliteTenantConcurrency(SqliteTenantFixture f) : ConcurrencyConformance<SqliteTenantFixture>(f);

public sealed class SqliteTenantMetadata(SqliteTenantFixture f) : MetadataConformance<SqliteTenantFixture>(f);

public sealed class SqliteTenantPersistence(SqliteTenantFixture f) : PersistenceConformance<SqliteTenantFixture>(f);

public sealed class SqliteTenantCheckpoints(SqliteTenantFixture f) : CheckpointConformance<SqliteTenantFixture>(f);

public sealed class SqliteTenantSubscriptions(SqliteTenantFixture f) : SubscriptionConformance<SqliteTenantFixture>(f);

public sealed class SqliteTenantHandlerSubscriptions(SqliteTenantFixture f) : HandlerSubscriptionConformance<SqliteTenantFixture>(f);

public sealed class SqliteTenantProjections(SqliteTenantFixture f) : ProjectionConformance<SqliteTenantFixture>(f);

public sealed class SqliteTenantInlineProjections(SqliteTenantFixture f) : InlineProjectionConformance<SqliteTenantFixture>(f);

public sealed class SqliteTenantSnapshots(SqliteTenantFixture f) : SnapshotConformance<SqliteTenantFixture>(f);

public sealed class SqliteTenantLifecycleDelete(SqliteTenantFixture f) : LifecycleDeleteConformance<SqliteTenantFixture>(f);

public sealed class SqliteTenantLifecycleTruncate(SqliteTenantFixture f) : LifecycleTruncateConformance<SqliteTenantFixture>(f);

public sealed class SqliteTenantSaga(SqliteTenantFixture f) : SagaConformance<SqliteTenantFixture>(f);

public sealed class SqliteTenantSagaStore(SqliteTenantFixture f) : SagaStoreConformance<SqliteTenantFixture>(f);

public sealed class SqliteTenantStatistics(SqliteTenantFixture f) : StatisticsConformance<SqliteTenantFixture>(f);

public sealed class SqliteTenantImport(SqliteTenantFixture f) : ImportConformance<SqliteTenantFixture>(f);

public sealed class SqliteTenantCqrs(SqliteTenantFixture f) : CqrsConformance<SqliteTenantFixture>(f);
