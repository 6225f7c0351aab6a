using Eventuali.Conformance;

namespace Eventuali.Sqlite.Tests;

public sealed class SqliteSnapshots(SqliteFileFixture f) : SnapshotConformance<SqliteFileFixture>(f);

public sealed class SqliteTimeTravel(SqliteFileFixture f) : TimeTravelConformance<SqliteFileFixture>(f);

public sealed class SqliteMemorySnapshots(SqliteMemoryFixture f) : SnapshotConformance<SqliteMemoryFixture>(f);

public sealed class SqliteMemoryTimeTravel(SqliteMemoryFixture f) : TimeTravelConformance<SqliteMemoryFixture>(f);

public sealed class SqliteSnapshotLifecycle(SqliteFileFixture f) : SnapshotLifecycleConformance<SqliteFileFixture>(f);
