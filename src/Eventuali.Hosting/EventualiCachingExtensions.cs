using Eventuali.Caching;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Eventuali.Hosting;

/// <summary>Registers the aggregate cache the store registered by <c>AddEventuali</c> uses (see docs/caching.md).</summary>
public static class EventualiCachingExtensions
{
    /// <summary>
    /// Registers <paramref name="cache"/> as the singleton <see cref="IAggregateCache"/>; the store opened by
    /// <c>AddEventuali</c> uses it unless <see cref="EventualiOptions.StoreOptions"/> already names a cache. For Redis:
    /// <c>sp =&gt; RedisAggregateCache.ConnectAsync(url).AsTask().GetAwaiter().GetResult()</c> (package Eventuali.Caching.Redis).
    /// </summary>
    public static IServiceCollection AddEventualiAggregateCache(this IServiceCollection services, Func<IServiceProvider, IAggregateCache> cache)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(cache);
        services.Replace(ServiceDescriptor.Singleton(cache));
        return services;
    }

    /// <summary>Registers an in-process <see cref="MemoryAggregateCache"/> of at most <paramref name="maxEntries"/> entries.</summary>
    public static IServiceCollection AddEventualiMemoryAggregateCache(this IServiceCollection services, int maxEntries = 10_000)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxEntries, 1);
        return services.AddEventualiAggregateCache(_ => new MemoryAggregateCache(maxEntries));
    }
}
