using Eventuali.Conformance;

namespace Eventuali.Sqlite.Tests;

public sealed class SqliteFileLifecycleDelete(SqliteFileFixture f) : LifecycleDeleteConformance<SqliteFileFixture>(f);

public sealed class SqliteFileLifecycleTruncate(SqliteFileFixture f) : LifecycleTruncateConformance<SqliteFileFixture>(f);

public sealed class SqliteFileLifecycleRetention(SqliteFileFixture f) : LifecycleRetentionConformance<SqliteFileFixture>(f);

public sealed class SqliteMemoryLifecycleDelete(SqliteMemoryFixture f) : LifecycleDeleteConformance<SqliteMemoryFixture>(f);

public sealed class SqliteMemoryLifecycleTruncate(SqliteMemoryFixture f) : LifecycleTruncateConformance<SqliteMemoryFixture>(f);

public sealed class SqliteMemoryLifecycleRetention(SqliteMemoryFixture f) : LifecycleRetentionConformance<SqliteMemoryFixture>(f);
