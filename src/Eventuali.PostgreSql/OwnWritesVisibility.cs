namespace Eventuali.PostgreSql;

/// <summary>
/// Read-your-writes for one store instance. A committed append becomes readable in the global log
/// only once every older transaction in the cluster has finished (that is what makes readers never
/// skip). A global-log read on the store that made the append first waits, briefly, until the
/// readable head has reached the highest position this instance acknowledged.
/// </summary>
internal sealed class OwnWritesVisibility
{
    // A transaction that stays open longer than this (an idle session, a long migration) stops
    // holding this reader: it then returns the readable prefix, which is still never a skip.
    private static readonly TimeSpan MaxWait = TimeSpan.FromSeconds(30);

    private long _acknowledged;

    public void Acknowledged(long position)
    {
        var seen = Volatile.Read(ref _acknowledged);
        while (position > seen)
        {
            var previous = Interlocked.CompareExchange(ref _acknowledged, position, seen);
            if (previous == seen)
            {
                return;
            }

            seen = previous;
        }
    }

    /// <summary>Waits until the readable head covers this instance's writes at or after <paramref name="fromPosition"/>.</summary>
    public async ValueTask WaitForOwnWritesAsync(long fromPosition, Func<CancellationToken, ValueTask<long>> head, CancellationToken cancellationToken)
    {
        var target = Volatile.Read(ref _acknowledged);
        if (target < fromPosition)
        {
            return;
        }

        var delay = TimeSpan.FromMilliseconds(1);
        var deadline = Environment.TickCount64 + (long)MaxWait.TotalMilliseconds;
        while (await head(cancellationToken).ConfigureAwait(false) < target && Environment.TickCount64 < deadline)
        {
            // Real time on purpose: the store's TimeProvider stamps events and may be a test clock.
            await Task.Delay(delay, cancellationToken).ConfigureAwait(false);
            delay = TimeSpan.FromMilliseconds(Math.Min(delay.TotalMilliseconds * 2, 50));
        }
    }
}
