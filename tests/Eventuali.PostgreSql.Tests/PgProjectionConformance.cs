using Eventuali.Conformance;

namespace Eventuali.PostgreSql.Tests;

public sealed class PgProjections(PgConformanceFixture f) : ProjectionConformance<PgConformanceFixture>(f);

public sealed class PgProjectionFailures(PgConformanceFixture f) : ProjectionFailureConformance<PgConformanceFixture>(f);

public sealed class PgInlineProjections(PgConformanceFixture f) : InlineProjectionConformance<PgConformanceFixture>(f);

public sealed class PgProjectionOperators(PgConformanceFixture f) : ProjectionOperatorConformance<PgConformanceFixture>(f);

public sealed class PgPartitions(PgConformanceFixture f) : PartitionConformance<PgConformanceFixture>(f);
