namespace Eventuali.Caching.Redis;

/// <summary>Keys, expiry, timeouts and the circuit breaker of a <see cref="RedisAggregateCache"/>.</summary>
public sealed record RedisAggregateCacheOptions
{
    /// <summary>Prefix of every key (then the stream id). Give each store its own when stores share a Redis.</summary>
    public string KeyPrefix
    {
        get;
        init => field = !string.IsNullOrEmpty(value) ? value : throw new ArgumentException("The Redis key prefix must not be empty.", nameof(KeyPrefix));
    } = "eventuali:aggregate:";

    /// <summary>How long an entry lives after it was last written; null: until Redis evicts it. Default 24 hours.</summary>
    public TimeSpan? Expiry { get; init; } = TimeSpan.FromHours(24);

    /// <summary>The most one cache call may take before it counts as failed and the load reads directly. Default 250 ms.</summary>
    public TimeSpan OperationTimeout
    {
        get;
        init => field = value > TimeSpan.Zero ? value : throw new ArgumentOutOfRangeException(nameof(OperationTimeout), value, "The operation timeout must be positive.");
    } = TimeSpan.FromMilliseconds(250);

    /// <summary>Failures in a row after which the cache stops calling Redis for <see cref="BreakDuration"/>. Default 3.</summary>
    public int FailuresToOpen
    {
        get;
        init => field = value >= 1 ? value : throw new ArgumentOutOfRangeException(nameof(FailuresToOpen), value, "At least one failure must open the circuit.");
    } = 3;

    /// <summary>How long an open circuit refuses calls before one trial call goes through. Default 5 seconds.</summary>
    public TimeSpan BreakDuration
    {
        get;
        init => field = value > TimeSpan.Zero ? value : throw new ArgumentOutOfRangeException(nameof(BreakDuration), value, "The break duration must be positive.");
    } = TimeSpan.FromSeconds(5);

    /// <summary>The clock of the circuit breaker.</summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;
}
