using Eventuali.Caching;

namespace Eventuali.Core.Tests;

public sealed class MemoryAggregateCacheTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static CachedAggregate Entry(string stream, long version, int bytes = 10) => new(stream, version, version * 3, "T", 1, 0, new byte[bytes]);

    [Fact]
    public async Task The_least_recently_used_entry_goes_first_when_full()
    {
        var cache = new MemoryAggregateCache(maxEntries: 3);
        await cache.SetAsync(Entry("a", 1), Ct);
        await cache.SetAsync(Entry("b", 1), Ct);
        await cache.SetAsync(Entry("c", 1), Ct);
        Assert.NotNull(await cache.GetAsync("a", Ct));
        await cache.SetAsync(Entry("d", 1), Ct);
        Assert.Null(await cache.GetAsync("b", Ct));
        Assert.NotNull(await cache.GetAsync("a", Ct));
        Assert.Equal(3, cache.Count);
    }

    [Fact]
    public async Task The_byte_bound_evicts_and_a_state_larger_than_it_is_not_kept()
    {
        var cache = new MemoryAggregateCache(maxEntries: 100, maxBytes: 100);
        await cache.SetAsync(Entry("a", 1, 60), Ct);
        await cache.SetAsync(Entry("b", 1, 60), Ct);
        Assert.Null(await cache.GetAsync("a", Ct));
        await cache.SetAsync(Entry("huge", 1, 101), Ct);
        Assert.Null(await cache.GetAsync("huge", Ct));
        Assert.NotNull(await cache.GetAsync("b", Ct));
    }

    [Fact]
    public async Task An_older_version_never_replaces_a_newer_one_and_remove_clears()
    {
        var cache = new MemoryAggregateCache();
        await cache.SetAsync(Entry("s", 9), Ct);
        await cache.SetAsync(Entry("s", 4), Ct);
        Assert.Equal(9, (await cache.GetAsync("s", Ct))!.Version);
        await cache.SetAsync(Entry("s", 12), Ct);
        Assert.Equal(12, (await cache.GetAsync("s", Ct))!.Version);
        await cache.RemoveAsync("s", Ct);
        Assert.Null(await cache.GetAsync("s", Ct));
    }

    [Fact]
    public void Bounds_below_one_are_refused() => Assert.Throws<ArgumentOutOfRangeException>(() => new MemoryAggregateCache(maxEntries: 0));
}
