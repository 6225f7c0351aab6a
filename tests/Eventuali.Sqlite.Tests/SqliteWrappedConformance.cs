using Eventuali.Conformance;

namespace Eventuali.Sqlite.Tests;

// The interception seam on this backend, and every conformance class that carries events run again through it
// (wrapped with a counting and a stamping interceptor). Classes whose capabilities carry no events (concurrency,
// checkpoints, saga storage and timeouts, statistics) run bare only, to keep the suite's time down.
public sealed class SqliteInterception(SqliteFileFixture f) : InterceptionConformance<SqliteFileFixture>(f);

public sealed class SqliteWrappedAppend(WrappedFixture<SqliteFileFixture> f) : AppendConformance<WrappedFixture<SqliteFileFixture>>(f);

public sealed class SqliteWrappedIdempotency(WrappedFixture<SqliteFileFixture> f) : IdempotencyConformance<WrappedFixture<SqliteFileFixture>>(f);

public sealed class SqliteWrappedStreamRead(WrappedFixture<SqliteFileFixture> f) : StreamReadConformance<WrappedFixture<SqliteFileFixture>>(f);

public sealed class SqliteWrappedGlobalLog(WrappedFixture<SqliteFileFixture> f) : GlobalLogConformance<WrappedFixture<SqliteFileFixture>>(f);

public sealed class SqliteWrappedMetadata(WrappedFixture<SqliteFileFixture> f) : MetadataConformance<WrappedFixture<SqliteFileFixture>>(f);

public sealed class SqliteWrappedPayload(WrappedFixture<SqliteFileFixture> f) : PayloadConformance<WrappedFixture<SqliteFileFixture>>(f);

public sealed class SqliteWrappedEdgeInput(WrappedFixture<SqliteFileFixture> f) : EdgeInputConformance<WrappedFixture<SqliteFileFixture>>(f);

public sealed class SqliteWrappedTypedAggregate(WrappedFixture<SqliteFileFixture> f) : TypedAggregateConformance<WrappedFixture<SqliteFileFixture>>(f);

public sealed class SqliteWrappedPersistence(WrappedFixture<SqliteFileFixture> f) : PersistenceConformance<WrappedFixture<SqliteFileFixture>>(f);

public sealed class SqliteWrappedImport(WrappedFixture<SqliteFileFixture> f) : ImportConformance<WrappedFixture<SqliteFileFixture>>(f);

public sealed class SqliteWrappedSnapshots(WrappedFixture<SqliteFileFixture> f) : SnapshotConformance<WrappedFixture<SqliteFileFixture>>(f);

public sealed class SqliteWrappedTimeTravel(WrappedFixture<SqliteFileFixture> f) : TimeTravelConformance<WrappedFixture<SqliteFileFixture>>(f);

public sealed class SqliteWrappedLifecycleDelete(WrappedFixture<SqliteFileFixture> f) : LifecycleDeleteConformance<WrappedFixture<SqliteFileFixture>>(f);

public sealed class SqliteWrappedLifecycleTruncate(WrappedFixture<SqliteFileFixture> f) : LifecycleTruncateConformance<WrappedFixture<SqliteFileFixture>>(f);

public sealed class SqliteWrappedLifecycleRetention(WrappedFixture<SqliteFileFixture> f) : LifecycleRetentionConformance<WrappedFixture<SqliteFileFixture>>(f);

public sealed class SqliteWrappedSubscriptions(WrappedFixture<SqliteFileFixture> f) : SubscriptionConformance<WrappedFixture<SqliteFileFixture>>(f);

public sealed class SqliteWrappedHandlerSubscriptions(WrappedFixture<SqliteFileFixture> f) : HandlerSubscriptionConformance<WrappedFixture<SqliteFileFixture>>(f);

public sealed class SqliteWrappedProjections(WrappedFixture<SqliteFileFixture> f) : ProjectionConformance<WrappedFixture<SqliteFileFixture>>(f);

public sealed class SqliteWrappedProjectionFailures(WrappedFixture<SqliteFileFixture> f) : ProjectionFailureConformance<WrappedFixture<SqliteFileFixture>>(f);

public sealed class SqliteWrappedInlineProjections(WrappedFixture<SqliteFileFixture> f) : InlineProjectionConformance<WrappedFixture<SqliteFileFixture>>(f);

public sealed class SqliteWrappedSaga(WrappedFixture<SqliteFileFixture> f) : SagaConformance<WrappedFixture<SqliteFileFixture>>(f);

public sealed class SqliteWrappedCqrs(WrappedFixture<SqliteFileFixture> f) : CqrsConformance<WrappedFixture<SqliteFileFixture>>(f);
