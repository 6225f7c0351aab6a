using Eventuali.Conformance;

namespace Eventuali.Core.Tests;

// The interception seam on this backend, and every conformance class that carries events run again through it
// (wrapped with a counting and a stamping interceptor). Classes whose capabilities carry no events (concurrency,
// checkpoints, saga storage and timeouts, statistics) run bare only, to keep the suite's time down.
public sealed class MemoryInterception(MemoryFixture f) : InterceptionConformance<MemoryFixture>(f);

public sealed class MemoryWrappedAppend(WrappedFixture<MemoryFixture> f) : AppendConformance<WrappedFixture<MemoryFixture>>(f);

public sealed class MemoryWrappedIdempotency(WrappedFixture<MemoryFixture> f) : IdempotencyConformance<WrappedFixture<MemoryFixture>>(f);

public sealed class MemoryWrappedStreamRead(WrappedFixture<MemoryFixture> f) : StreamReadConformance<WrappedFixture<MemoryFixture>>(f);

public sealed class MemoryWrappedGlobalLog(WrappedFixture<MemoryFixture> f) : GlobalLogConformance<WrappedFixture<MemoryFixture>>(f);

public sealed class MemoryWrappedMetadata(WrappedFixture<MemoryFixture> f) : MetadataConformance<WrappedFixture<MemoryFixture>>(f);

public sealed class MemoryWrappedPayload(WrappedFixture<MemoryFixture> f) : PayloadConformance<WrappedFixture<MemoryFixture>>(f);

public sealed class MemoryWrappedEdgeInput(WrappedFixture<MemoryFixture> f) : EdgeInputConformance<WrappedFixture<MemoryFixture>>(f);

public sealed class MemoryWrappedTypedAggregate(WrappedFixture<MemoryFixture> f) : TypedAggregateConformance<WrappedFixture<MemoryFixture>>(f);

public sealed class MemoryWrappedPersistence(WrappedFixture<MemoryFixture> f) : PersistenceConformance<WrappedFixture<MemoryFixture>>(f);

public sealed class MemoryWrappedImport(WrappedFixture<MemoryFixture> f) : ImportConformance<WrappedFixture<MemoryFixture>>(f);

public sealed class MemoryWrappedSnapshots(WrappedFixture<MemoryFixture> f) : SnapshotConformance<WrappedFixture<MemoryFixture>>(f);

public sealed class MemoryWrappedTimeTravel(WrappedFixture<MemoryFixture> f) : TimeTravelConformance<WrappedFixture<MemoryFixture>>(f);

public sealed class MemoryWrappedLifecycleDelete(WrappedFixture<MemoryFixture> f) : LifecycleDeleteConformance<WrappedFixture<MemoryFixture>>(f);

public sealed class MemoryWrappedLifecycleTruncate(WrappedFixture<MemoryFixture> f) : LifecycleTruncateConformance<WrappedFixture<MemoryFixture>>(f);

public sealed class MemoryWrappedLifecycleRetention(WrappedFixture<MemoryFixture> f) : LifecycleRetentionConformance<WrappedFixture<MemoryFixture>>(f);

public sealed class MemoryWrappedSubscriptions(WrappedFixture<MemoryFixture> f) : SubscriptionConformance<WrappedFixture<MemoryFixture>>(f);

public sealed class MemoryWrappedHandlerSubscriptions(WrappedFixture<MemoryFixture> f) : HandlerSubscriptionConformance<WrappedFixture<MemoryFixture>>(f);

public sealed class MemoryWrappedProjections(WrappedFixture<MemoryFixture> f) : ProjectionConformance<WrappedFixture<MemoryFixture>>(f);

public sealed class MemoryWrappedProjectionFailures(WrappedFixture<MemoryFixture> f) : ProjectionFailureConformance<WrappedFixture<MemoryFixture>>(f);

public sealed class MemoryWrappedInlineProjections(WrappedFixture<MemoryFixture> f) : InlineProjectionConformance<WrappedFixture<MemoryFixture>>(f);

public sealed class MemoryWrappedSaga(WrappedFixture<MemoryFixture> f) : SagaConformance<WrappedFixture<MemoryFixture>>(f);

public sealed class MemoryWrappedCqrs(WrappedFixture<MemoryFixture> f) : CqrsConformance<WrappedFixture<MemoryFixture>>(f);

public sealed class MemoryWrappedWatermark(WrappedFixture<MemoryFixture> f) : WatermarkConformance<WrappedFixture<MemoryFixture>>(f);
