using System.Collections.Concurrent;
using Eventuali.Conformance;
using Eventuali.Sqlite;

namespace Eventuali.Caching.Redis.Tests;

/// <summary>SQLite stores in temporary directories, for the cache conformance suite.</summary>
public sealed class SqliteStores : IStoreFixture, IAsyncDisposable
{
    private readonly ConcurrentDictionary<IEventStore, string> _dirs = new();

    public string BackendName => "sqlite";

    public bool Persists => false;

    public bool PositionsAreContiguous => true;

    public async ValueTask<IEventStore> CreateStoreAsync(EventStoreOptions? options = null, CancellationToken cancellationToken = default)
    {
        var dir = Path.Combine(Path.GetTempPath(), "eventuali-cache-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        var store = await SqliteEventStore.OpenAsync(Path.Combine(dir, "events.db"), options ?? EventStoreOptions.Default, cancellationToken);
        _dirs[store] = dir;
        return store;
    }

    public ValueTask<IEventStore> ReopenAsync(IEventStore store, CancellationToken cancellationToken = default)
        => throw new NotSupportedException("The cache suite never reopens a store.");

    public ValueTask DisposeAsync()
    {
        foreach (var dir in _dirs.Values)
        {
            try
            {
                Directory.Delete(dir, recursive: true);
            }
            catch (IOException)
            {
            }
        }

        return ValueTask.CompletedTask;
    }
}

public sealed class SqliteStoreRedisCache(SqliteStores f) : AggregateCacheConformance<SqliteStores>(f)
{
    protected override async ValueTask<IAggregateCache> CreateCacheAsync()
        => await RedisAggregateCache.ConnectAsync(SharedRedis.Url, SharedRedis.Isolated(), TestContext.Current.CancellationToken);
}
