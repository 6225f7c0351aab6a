using Eventuali.Conformance;

namespace Eventuali.PostgreSql.Tests;

// The interception seam on this backend, and every conformance class that carries events run again through it
// (wrapped with a counting and a stamping interceptor). Classes whose capabilities carry no events (concurrency,
// checkpoints, saga storage and timeouts, statistics) run bare only, to keep the suite's time down.
public sealed class PgInterception(PgConformanceFixture f) : InterceptionConformance<PgConformanceFixture>(f);

public sealed class PgWrappedAppend(WrappedFixture<PgConformanceFixture> f) : AppendConformance<WrappedFixture<PgConformanceFixture>>(f);

public sealed class PgWrappedIdempotency(WrappedFixture<PgConformanceFixture> f) : IdempotencyConformance<WrappedFixture<PgConformanceFixture>>(f);

public sealed class PgWrappedStreamRead(WrappedFixture<PgConformanceFixture> f) : StreamReadConformance<WrappedFixture<PgConformanceFixture>>(f);

public sealed class PgWrappedGlobalLog(WrappedFixture<PgConformanceFixture> f) : GlobalLogConformance<WrappedFixture<PgConformanceFixture>>(f);

public sealed class PgWrappedMetadata(WrappedFixture<PgConformanceFixture> f) : MetadataConformance<WrappedFixture<PgConformanceFixture>>(f);

public sealed class PgWrappedPayload(WrappedFixture<PgConformanceFixture> f) : PayloadConformance<WrappedFixture<PgConformanceFixture>>(f);

public sealed class PgWrappedEdgeInput(WrappedFixture<PgConformanceFixture> f) : EdgeInputConformance<WrappedFixture<PgConformanceFixture>>(f);

public sealed class PgWrappedTypedAggregate(WrappedFixture<PgConformanceFixture> f) : TypedAggregateConformance<WrappedFixture<PgConformanceFixture>>(f);

public sealed class PgWrappedPersistence(WrappedFixture<PgConformanceFixture> f) : PersistenceConformance<WrappedFixture<PgConformanceFixture>>(f);

public sealed class PgWrappedImport(WrappedFixture<PgConformanceFixture> f) : ImportConformance<WrappedFixture<PgConformanceFixture>>(f);

public sealed class PgWrappedSnapshots(WrappedFixture<PgConformanceFixture> f) : SnapshotConformance<WrappedFixture<PgConformanceFixture>>(f);

public sealed class PgWrappedTimeTravel(WrappedFixture<PgConformanceFixture> f) : TimeTravelConformance<WrappedFixture<PgConformanceFixture>>(f);

public sealed class PgWrappedLifecycleDelete(WrappedFixture<PgConformanceFixture> f) : LifecycleDeleteConformance<WrappedFixture<PgConformanceFixture>>(f);

public sealed class PgWrappedLifecycleTruncate(WrappedFixture<PgConformanceFixture> f) : LifecycleTruncateConformance<WrappedFixture<PgConformanceFixture>>(f);

public sealed class PgWrappedLifecycleRetention(WrappedFixture<PgConformanceFixture> f) : LifecycleRetentionConformance<WrappedFixture<PgConformanceFixture>>(f);

public sealed class PgWrappedSubscriptions(WrappedFixture<PgConformanceFixture> f) : SubscriptionConformance<WrappedFixture<PgConformanceFixture>>(f);

public sealed class PgWrappedHandlerSubscriptions(WrappedFixture<PgConformanceFixture> f) : HandlerSubscriptionConformance<WrappedFixture<PgConformanceFixture>>(f);

public sealed class PgWrappedProjections(WrappedFixture<PgConformanceFixture> f) : ProjectionConformance<WrappedFixture<PgConformanceFixture>>(f);

public sealed class PgWrappedProjectionFailures(WrappedFixture<PgConformanceFixture> f) : ProjectionFailureConformance<WrappedFixture<PgConformanceFixture>>(f);

public sealed class PgWrappedInlineProjections(WrappedFixture<PgConformanceFixture> f) : InlineProjectionConformance<WrappedFixture<PgConformanceFixture>>(f);

public sealed class PgWrappedSaga(WrappedFixture<PgConformanceFixture> f) : SagaConformance<WrappedFixture<PgConformanceFixture>>(f);

public sealed class PgWrappedCqrs(WrappedFixture<PgConformanceFixture> f) : CqrsConformance<WrappedFixture<PgConformanceFixture>>(f);
