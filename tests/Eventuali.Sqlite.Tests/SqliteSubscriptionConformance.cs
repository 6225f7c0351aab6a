using Eventuali.Conformance;

namespace Eventuali.Sqlite.Tests;

public sealed class SqliteSubscriptions(SqliteFileFixture f) : SubscriptionConformance<SqliteFileFixture>(f);

public sealed class SqliteMemorySubscriptions(SqliteMemoryFixture f) : SubscriptionConformance<SqliteMemoryFixture>(f);

public sealed class SqliteHandlerSubscriptions(SqliteFileFixture f) : HandlerSubscriptionConformance<SqliteFileFixture>(f);

public sealed class SqliteMemoryHandlerSubscriptions(SqliteMemoryFixture f) : HandlerSubscriptionConformance<SqliteMemoryFixture>(f);

public sealed class SqliteCheckpoints(SqliteFileFixture f) : CheckpointConformance<SqliteFileFixture>(f);

public sealed class SqliteMemoryCheckpoints(SqliteMemoryFixture f) : CheckpointConformance<SqliteMemoryFixture>(f);

public sealed class SqliteSubscriptionRetries(SqliteFileFixture f) : SubscriptionRetryConformance<SqliteFileFixture>(f);
