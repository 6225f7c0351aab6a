using Eventuali.Conformance;

namespace Eventuali.PostgreSql.Tests;

public sealed class PgImport(PgConformanceFixture f) : ImportConformance<PgConformanceFixture>(f);

public sealed class PgStatistics(PgConformanceFixture f) : StatisticsConformance<PgConformanceFixture>(f);

public sealed class PgWatermark(PgConformanceFixture f) : WatermarkConformance<PgConformanceFixture>(f);
