namespace Eventuali.Caching;

/// <summary>
/// A cache of aggregate states shared by loads (<see cref="EventStoreOptions.AggregateCache"/>): one entry per stream,
/// the state after a version. The cache is never trusted: a load checks every entry against the stream as it is now
/// (the global position of the event at the entry's version, the aggregate type and state shape, a checksum) and
/// replays the events after it, so an entry that is behind, or from a stream since deleted and recreated, can never
/// be returned as current. Implementations must not throw for transport failures: they count them in
/// <see cref="Statistics"/> and answer as a miss.
/// </summary>
public interface IAggregateCache
{
    /// <summary>Lookups, hits, misses and errors of this cache.</summary>
    AggregateCacheStatistics Statistics { get; }

    /// <summary>The entry of <paramref name="streamId"/>, or null when there is none (or the cache cannot be reached).</summary>
    ValueTask<CachedAggregate?> GetAsync(string streamId, CancellationToken cancellationToken = default);

    /// <summary>Stores <paramref name="entry"/> unless the cache holds the same stream at a higher version.</summary>
    ValueTask SetAsync(CachedAggregate entry, CancellationToken cancellationToken = default);

    /// <summary>Removes the entry of <paramref name="streamId"/> (a load found it no longer belongs to the stream).</summary>
    ValueTask RemoveAsync(string streamId, CancellationToken cancellationToken = default);
}
