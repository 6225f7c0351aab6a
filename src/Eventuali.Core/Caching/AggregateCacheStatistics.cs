using Eventuali.Diagnostics;

namespace Eventuali.Caching;

/// <summary>
/// What one <see cref="IAggregateCache"/> answered loads: counted here and on the <c>eventuali.cache.*</c> instruments
/// (see <see cref="EventualiInstruments.CacheLookups"/>). Thread-safe.
/// </summary>
public sealed class AggregateCacheStatistics
{
    private long _hits;
    private long _behind;
    private long _misses;
    private long _invalid;
    private long _errors;

    /// <summary>Loads served from an entry that was current.</summary>
    public long Hits => Interlocked.Read(ref _hits);

    /// <summary>Loads served from an entry that was behind the stream: the events after it were replayed.</summary>
    public long BehindHits => Interlocked.Read(ref _behind);

    /// <summary>Loads that found no entry (or could not reach the cache).</summary>
    public long Misses => Interlocked.Read(ref _misses);

    /// <summary>Loads that found an entry no longer belonging to the stream (recreated, truncated past it, another type or shape, corrupt); it was removed.</summary>
    public long Invalid => Interlocked.Read(ref _invalid);

    /// <summary>Cache operations that failed (unreachable, timed out, refused while the circuit is open).</summary>
    public long Errors => Interlocked.Read(ref _errors);

    /// <summary>(hits + behind hits) / lookups; 0 before the first lookup.</summary>
    public double HitRate
    {
        get
        {
            var served = Hits + BehindHits;
            var all = served + Misses + Invalid;
            return all == 0 ? 0 : (double)served / all;
        }
    }

    /// <summary>Counts a failed cache operation (<paramref name="operation"/>: <c>get</c>, <c>set</c> or <c>remove</c>).</summary>
    public void RecordError(string operation)
    {
        ArgumentException.ThrowIfNullOrEmpty(operation);
        Interlocked.Increment(ref _errors);
        CacheTelemetry.Error(operation);
    }

    internal void Record(CacheOutcome outcome)
    {
        switch (outcome)
        {
            case CacheOutcome.Hit: Interlocked.Increment(ref _hits); break;
            case CacheOutcome.Behind: Interlocked.Increment(ref _behind); break;
            case CacheOutcome.Miss: Interlocked.Increment(ref _misses); break;
            default: Interlocked.Increment(ref _invalid); break;
        }

        CacheTelemetry.Lookup(outcome);
    }

    /// <inheritdoc />
    public override string ToString() => $"hits {Hits}, behind {BehindHits}, misses {Misses}, invalid {Invalid}, errors {Errors}, hit rate {HitRate:P1}";
}

/// <summary>What a cache lookup of a load came to.</summary>
internal enum CacheOutcome
{
    Hit,
    Behind,
    Miss,
    Invalid,
}
