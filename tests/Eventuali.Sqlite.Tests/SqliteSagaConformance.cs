using Eventuali.Conformance;

namespace Eventuali.Sqlite.Tests;

public sealed class SqliteSagaStore(SqliteFileFixture f) : SagaStoreConformance<SqliteFileFixture>(f);

public sealed class SqliteSaga(SqliteFileFixture f) : SagaConformance<SqliteFileFixture>(f);

public sealed class SqliteSagaTimeout(SqliteFileFixture f) : SagaTimeoutConformance<SqliteFileFixture>(f);

public sealed class SqliteCqrs(SqliteFileFixture f) : CqrsConformance<SqliteFileFixture>(f);

public sealed class SqliteMemorySagaStore(SqliteMemoryFixture f) : SagaStoreConformance<SqliteMemoryFixture>(f);

public sealed class SqliteMemorySaga(SqliteMemoryFixture f) : SagaConformance<SqliteMemoryFixture>(f);
