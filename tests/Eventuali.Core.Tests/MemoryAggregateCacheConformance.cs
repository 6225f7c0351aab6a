using Eventuali.Caching;
using Eventuali.Conformance;

namespace Eventuali.Core.Tests;

public sealed class MemoryStoreMemoryCache(MemoryFixture f) : AggregateCacheConformance<MemoryFixture>(f)
{
    protected override ValueTask<IAggregateCache> CreateCacheAsync() => ValueTask.FromResult<IAggregateCache>(new MemoryAggregateCache());
}
