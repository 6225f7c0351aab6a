using Eventuali.Conformance;

namespace Eventuali.PostgreSql.Tests.Tenancy;

// The conformance classes that prove a tenant-bound store is scoped, run on a store whose factory's other tenant
// already holds events (and a checkpoint) under the same names. The rest of the suite runs on plain PostgreSQL
// stores: a tenant's store is one of them in its own schema, so only the scoping needs proving here.
public sealed class PgTenantAppend(PgTenantFixture f) : AppendConformance<PgTenantFixture>(f);

public sealed class PgTenantStreamRead(PgTenantFixture f) : StreamReadConformance<PgTenantFixture>(f);

public sealed class PgTenantGlobalLog(PgTenantFixture f) : GlobalLogConformance<PgTenantFixture>(f);

public sealed class PgTenantCheckpoints(PgTenantFixture f) : CheckpointConformance<PgTenantFixture>(f);

public sealed class PgTenantSubscriptions(PgTenantFixture f) : SubscriptionConformance<PgTenantFixture>(f);

public sealed class PgTenantSnapshots(PgTenantFixture f) : SnapshotConformance<PgTenantFixture>(f);

public sealed class PgTenantStatistics(PgTenantFixture f) : StatisticsConformance<PgTenantFixture>(f);
