using Eventuali.Conformance;

namespace Eventuali.Sqlite.Tests;

public sealed class SqliteProjections(SqliteFileFixture f) : ProjectionConformance<SqliteFileFixture>(f);

public sealed class SqliteProjectionFailures(SqliteFileFixture f) : ProjectionFailureConformance<SqliteFileFixture>(f);

public sealed class SqliteInlineProjections(SqliteFileFixture f) : InlineProjectionConformance<SqliteFileFixture>(f);

public sealed class SqliteProjectionOperators(SqliteFileFixture f) : ProjectionOperatorConformance<SqliteFileFixture>(f);

public sealed class SqlitePartitions(SqliteFileFixture f) : PartitionConformance<SqliteFileFixture>(f);
