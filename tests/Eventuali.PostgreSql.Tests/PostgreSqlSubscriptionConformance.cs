using Eventuali.Conformance;

namespace Eventuali.PostgreSql.Tests;

public sealed class PgSubscriptions(PgConformanceFixture f) : SubscriptionConformance<PgConformanceFixture>(f);

public sealed class PgHandlerSubscriptions(PgConformanceFixture f) : HandlerSubscriptionConformance<PgConformanceFixture>(f);

public sealed class PgCheckpoints(PgConformanceFixture f) : CheckpointConformance<PgConformanceFixture>(f);

public sealed class PgSubscriptionRetries(PgConformanceFixture f) : SubscriptionRetryConformance<PgConformanceFixture>(f);
