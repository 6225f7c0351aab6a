namespace Eventuali.Cqrs;

/// <summary>How a <see cref="CommandHandler{TAggregate}"/> retries after a concurrency conflict.</summary>
public sealed record CommandRetryOptions
{
    /// <summary>Attempts in all, the first included (default 5). After the last conflict the <see cref="ConcurrencyException"/> is thrown.</summary>
    public int MaxAttempts
    {
        get;
        init => field = value >= 1 ? value : throw new ArgumentOutOfRangeException(nameof(MaxAttempts), value, "MaxAttempts must be at least 1.");
    } = 5;

    /// <summary>Wait before the first retry; doubled for each further one (default 10 ms). Zero retries at once.</summary>
    public TimeSpan BaseDelay
    {
        get;
        init => field = value >= TimeSpan.Zero ? value : throw new ArgumentOutOfRangeException(nameof(BaseDelay), value, "BaseDelay must not be negative.");
    } = TimeSpan.FromMilliseconds(10);

    /// <summary>
    /// Whether each wait is randomised between half and all of its length (default true), so writers that collided
    /// do not retry in lockstep and collide again.
    /// </summary>
    public bool Jitter { get; init; } = true;

    /// <summary>Upper bound of one wait (default 1 s).</summary>
    public TimeSpan MaxDelay { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>The clock the waits use; default: the store's.</summary>
    public TimeProvider? TimeProvider { get; init; }

    /// <summary>The default retry settings.</summary>
    public static CommandRetryOptions Default { get; } = new();

    /// <summary>The wait before retry number <paramref name="retry"/> (1 = first retry).</summary>
    public TimeSpan DelayBefore(int retry)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(retry);
        var ticks = BaseDelay.Ticks * Math.Pow(2, Math.Min(retry - 1, 30));
        return ticks >= MaxDelay.Ticks ? MaxDelay : TimeSpan.FromTicks((long)ticks);
    }
}
