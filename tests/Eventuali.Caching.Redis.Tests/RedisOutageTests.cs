using System.Diagnostics;
using Eventuali.Messaging.Testing;
using Eventuali.Snapshots;
using Eventuali.Sqlite;
using Eventuali.Typed;

namespace Eventuali.Caching.Redis.Tests;

/// <summary>Redis killed under load and started again: loads stay correct, fail fast, count errors and recover.</summary>
public sealed class RedisOutageTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Loads_stay_correct_and_fast_while_Redis_is_down_and_use_it_again_after_a_restart()
    {
        await using var redis = await OwnBrokerServer.StartAsync("redis");
        var options = new RedisAggregateCacheOptions { OperationTimeout = TimeSpan.FromMilliseconds(200), BreakDuration = TimeSpan.FromMilliseconds(500) };
        await using var cache = await RedisAggregateCache.ConnectAsync(redis.Url, options, Ct);
        var dir = Path.Combine(Path.GetTempPath(), "eventuali-cache-outage-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        try
        {
            await using var store = await SqliteEventStore.OpenAsync(Path.Combine(dir, "events.db"), new EventStoreOptions { AggregateCache = cache }, Ct);
            var expected = new Dictionary<string, Tally>();
            for (var i = 0; i < 5; i++)
            {
                var tally = new Tally();
                for (var n = 1; n <= 40; n++)
                {
                    tally.Add("t" + i, (n * 7) + i);
                }

                await store.SaveAsync(tally, cancellationToken: Ct);
                expected[tally.Id] = tally;
            }

            Assert.Equal(40, (await store.LoadWithReportAsync<Tally>("t0", cancellationToken: Ct)).CachedVersion);

            redis.Kill();
            var errorsBefore = cache.Statistics.Errors;
            var slowest = TimeSpan.Zero;
            for (var round = 0; round < 4; round++)
            {
                foreach (var (id, tally) in expected)
                {
                    // Writes go on while the cache is down; the next loads must include them.
                    tally.Add(id, round + 1);
                    await store.SaveAsync(tally, cancellationToken: Ct);
                    var watch = Stopwatch.StartNew();
                    var loaded = await store.LoadWithReportAsync<Tally>(id, cancellationToken: Ct);
                    slowest = watch.Elapsed > slowest ? watch.Elapsed : slowest;
                    Assert.Null(loaded.CachedVersion);
                    Assert.Equal(tally.Key, loaded.Aggregate.Key);
                }
            }

            Assert.True(cache.Statistics.Errors > errorsBefore, "errors were not counted while Redis was down");

            // Each call is bounded by the operation timeout (plus a loaded machine's slack), never the client's seconds.
            Assert.True(slowest < TimeSpan.FromSeconds(2), $"a load took {slowest} while Redis was down");

            await redis.RestartAsync();

            // Once the circuit's trial call finds Redis back, loads fill and use the cache again.
            var deadline = DateTime.UtcNow.AddSeconds(60);
            long? cachedVersion = null;
            while (cachedVersion is null)
            {
                Assert.True(DateTime.UtcNow < deadline, "the cache was not used again within 60 s of Redis restarting");
                await Task.Delay(100, Ct);
                var loaded = await store.LoadWithReportAsync<Tally>("t3", cancellationToken: Ct);
                Assert.Equal(expected["t3"].Key, loaded.Aggregate.Key);
                cachedVersion = loaded.CachedVersion;
            }

            Assert.Equal(44, cachedVersion);
            Assert.False(cache.IsCircuitOpen);
        }
        finally
        {
            try
            {
                Directory.Delete(dir, recursive: true);
            }
            catch (IOException)
            {
            }
        }
    }

    [Fact]
    public async Task A_cache_whose_entries_were_lost_with_Redis_is_a_miss_not_an_error()
    {
        await using var redis = await OwnBrokerServer.StartAsync("redis");
        await using var cache = await RedisAggregateCache.ConnectAsync(redis.Url, SharedRedis.Isolated(), Ct);
        var entry = new CachedAggregate("s-1", 3, 9, "T", 1, 0, new byte[] { 1, 2, 3 });
        await cache.SetAsync(entry, Ct);
        var back = await cache.GetAsync("s-1", Ct);
        Assert.Equal((3L, 9L, "T"), (back!.Version, back.Position, back.AggregateType));
        Assert.Equal(entry.State.ToArray(), back.State.ToArray());
        await cache.SetAsync(entry with { Version = 2 }, Ct);
        Assert.Equal(3, (await cache.GetAsync("s-1", Ct))!.Version);
        await cache.RemoveAsync("s-1", Ct);
        Assert.Null(await cache.GetAsync("s-1", Ct));
        Assert.Equal(0, cache.Statistics.Errors);
    }

    [Fact]
    public async Task A_wrong_password_or_unreachable_server_is_refused_without_showing_the_password()
    {
        var uri = new Uri(SharedRedis.Url);
        var wrong = $"redis://{uri.UserInfo.Split(':')[0]}:not-the-password-x1@{uri.Host}:{uri.Port}";
        var refused = await Assert.ThrowsAsync<InvalidOperationException>(async () => await RedisAggregateCache.ConnectAsync(wrong, cancellationToken: Ct));
        Assert.Contains("refused the login", refused.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("not-the-password-x1", refused.ToString(), StringComparison.Ordinal);

        var nowhere = await Assert.ThrowsAsync<InvalidOperationException>(async () => await RedisAggregateCache.ConnectAsync("redis://u:secret-pw-y2@127.0.0.1:1", cancellationToken: Ct));
        Assert.Contains("could not be reached", nowhere.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("secret-pw-y2", nowhere.ToString(), StringComparison.Ordinal);

        Assert.Throws<ArgumentException>(() => RedisAggregateCache.ConnectAsync("http://x", cancellationToken: Ct).AsTask().GetAwaiter().GetResult());
    }
}
