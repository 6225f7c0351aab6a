using Eventuali.Conformance;

namespace Eventuali.PostgreSql.Tests;

public sealed class PgSnapshots(PgConformanceFixture f) : SnapshotConformance<PgConformanceFixture>(f);

public sealed class PgTimeTravel(PgConformanceFixture f) : TimeTravelConformance<PgConformanceFixture>(f);

public sealed class PgSnapshotLifecycle(PgConformanceFixture f) : SnapshotLifecycleConformance<PgConformanceFixture>(f);
