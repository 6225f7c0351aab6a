using Eventuali.Messaging.Testing;

namespace Eventuali.Caching.Redis.Tests;

/// <summary>The Redis server scripts/brokers.sh started for the whole test run (EVENTUALI_REDIS_URL); missing is a failure.</summary>
internal static class SharedRedis
{
    public static string Url => BrokerServers.Url("redis");

    /// <summary>Options with a key space no other test uses.</summary>
    public static RedisAggregateCacheOptions Isolated() => new() { KeyPrefix = $"eventuali-test:{Guid.NewGuid():N}:" };
}
