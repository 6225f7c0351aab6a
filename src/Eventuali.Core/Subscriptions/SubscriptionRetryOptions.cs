namespace Eventuali.Subscriptions;

/// <summary>
/// How subscriptions, the projection daemon and the saga runner ride out transient store errors (a dropped
/// connection, a failover, a server starting up): they back off and read again from the last position they
/// delivered, which is safe to repeat. An error the backend does not mark transient, or
/// <see cref="MaxAttempts"/> failures in a row, stops them with a <see cref="StoreRetryException"/> that counts the attempts.
/// </summary>
public sealed record SubscriptionRetryOptions
{
    /// <summary>The defaults: 20 attempts in a row, backing off from 50 ms, doubling up to 5 s (about a minute in all).</summary>
    public static SubscriptionRetryOptions Default { get; } = new();

    /// <summary>No retry: the first store error stops the subscription.</summary>
    public static SubscriptionRetryOptions None { get; } = new() { MaxAttempts = 1 };

    /// <summary>Failed attempts in a row (the first try included) before giving up; a successful read starts the count again. At least 1.</summary>
    public int MaxAttempts
    {
        get;
        init => field = value >= 1 ? value : throw new ArgumentOutOfRangeException(nameof(MaxAttempts), value, "MaxAttempts must be at least 1.");
    } = 20;

    /// <summary>The wait after the first failure; each further failure doubles it up to <see cref="MaxBackoff"/>.</summary>
    public TimeSpan InitialBackoff
    {
        get;
        init => field = value > TimeSpan.Zero ? value : throw new ArgumentOutOfRangeException(nameof(InitialBackoff), value, "InitialBackoff must be positive.");
    } = TimeSpan.FromMilliseconds(50);

    /// <summary>The longest wait between two attempts.</summary>
    public TimeSpan MaxBackoff
    {
        get;
        init => field = value > TimeSpan.Zero ? value : throw new ArgumentOutOfRangeException(nameof(MaxBackoff), value, "MaxBackoff must be positive.");
    } = TimeSpan.FromSeconds(5);

    /// <summary>The clock the backoff waits on; default the subscription's (or the store's).</summary>
    public TimeProvider? TimeProvider { get; init; }

    /// <summary>The wait after the <paramref name="failures"/>-th failure in a row.</summary>
    internal TimeSpan BackoffAfter(int failures)
    {
        var ticks = InitialBackoff.Ticks;
        for (var i = 1; i < failures && ticks < MaxBackoff.Ticks; i++)
        {
            ticks *= 2;
        }

        return TimeSpan.FromTicks(Math.Min(ticks, MaxBackoff.Ticks));
    }
}
