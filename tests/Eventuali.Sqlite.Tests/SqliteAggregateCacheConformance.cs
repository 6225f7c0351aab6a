using Eventuali.Caching;
using Eventuali.Conformance;

namespace Eventuali.Sqlite.Tests;

public sealed class SqliteStoreMemoryCache(SqliteFileFixture f) : AggregateCacheConformance<SqliteFileFixture>(f)
{
    protected override ValueTask<IAggregateCache> CreateCacheAsync() => ValueTask.FromResult<IAggregateCache>(new MemoryAggregateCache());
}
