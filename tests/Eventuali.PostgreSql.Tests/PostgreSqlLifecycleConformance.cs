using Eventuali.Conformance;

namespace Eventuali.PostgreSql.Tests;

public sealed class PgLifecycleDelete(PgConformanceFixture f) : LifecycleDeleteConformance<PgConformanceFixture>(f);

public sealed class PgLifecycleTruncate(PgConformanceFixture f) : LifecycleTruncateConformance<PgConformanceFixture>(f);

public sealed class PgLifecycleRetention(PgConformanceFixture f) : LifecycleRetentionConformance<PgConformanceFixture>(f);
