using Eventuali.Conformance;

namespace Eventuali.PostgreSql.Tests.Rls;

// The conformance classes that prove a tenant-bound store is scoped (those the schema mode enrols), run on a tenant of
// shared tables whose other tenant already holds rows under the same names.
public sealed class PgRlsAppend(PgRlsFixture f) : AppendConformance<PgRlsFixture>(f);

public sealed class PgRlsStreamRead(PgRlsFixture f) : StreamReadConformance<PgRlsFixture>(f);

public sealed class PgRlsGlobalLog(PgRlsFixture f) : GlobalLogConformance<PgRlsFixture>(f);

public sealed class PgRlsCheckpoints(PgRlsFixture f) : CheckpointConformance<PgRlsFixture>(f);

public sealed class PgRlsSubscriptions(PgRlsFixture f) : SubscriptionConformance<PgRlsFixture>(f);

public sealed class PgRlsSnapshots(PgRlsFixture f) : SnapshotConformance<PgRlsFixture>(f);

public sealed class PgRlsStatistics(PgRlsFixture f) : StatisticsConformance<PgRlsFixture>(f);
