using Eventuali.Conformance;

namespace Eventuali.Sqlite.Tests;

public sealed class SqliteImport(SqliteFileFixture f) : ImportConformance<SqliteFileFixture>(f);

public sealed class SqliteStatistics(SqliteFileFixture f) : StatisticsConformance<SqliteFileFixture>(f);

public sealed class SqliteMemoryImport(SqliteMemoryFixture f) : ImportConformance<SqliteMemoryFixture>(f);

public sealed class SqliteMemoryStatistics(SqliteMemoryFixture f) : StatisticsConformance<SqliteMemoryFixture>(f);

public sealed class SqliteWatermark(SqliteFileFixture f) : WatermarkConformance<SqliteFileFixture>(f);

public sealed class SqliteMemoryWatermark(SqliteMemoryFixture f) : WatermarkConformance<SqliteMemoryFixture>(f);
