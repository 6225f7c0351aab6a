using Eventuali.Conformance;

namespace Eventuali.PostgreSql.Tests;

public sealed class PostgreSqlSagaStore(PgConformanceFixture f) : SagaStoreConformance<PgConformanceFixture>(f);

public sealed class PostgreSqlSaga(PgConformanceFixture f) : SagaConformance<PgConformanceFixture>(f);

public sealed class PostgreSqlSagaTimeout(PgConformanceFixture f) : SagaTimeoutConformance<PgConformanceFixture>(f);

public sealed class PostgreSqlCqrs(PgConformanceFixture f) : CqrsConformance<PgConformanceFixture>(f);
