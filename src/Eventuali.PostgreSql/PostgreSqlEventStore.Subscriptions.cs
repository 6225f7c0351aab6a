using Eventuali.Subscriptions;

namespace Eventuali.PostgreSql;

/// <summary>
/// Live wake-up for subscriptions: one shared LISTEN connection per store instance (<see cref="AppendListener"/>),
/// woken by the NOTIFY of every append transaction in the cluster, plus polling every <see cref="PollInterval"/>
/// for what a notification cannot tell: a missed one, or a non-append transaction that held the read horizon.
/// </summary>
public sealed partial class PostgreSqlEventStore : IAppendNotifications
{
    /// <summary>How often a live subscriber re-reads without a notification.</summary>
    public static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(250);

    private AppendListener? _listener;
    private int _listenerStopped;

    private AppendListener Listener
    {
        get
        {
            if (Volatile.Read(ref _listener) is { } existing)
            {
                return existing;
            }

            // A disposed store starts no listener (its data source is gone).
            ObjectDisposedException.ThrowIf(Volatile.Read(ref _listenerStopped) != 0, this);

            // The real clock: reconnecting must not wait on a test's fake clock that nobody advances.
            var created = new AppendListener(_dataSource, _sql["listen"], TimeProvider.System);
            return Interlocked.CompareExchange(ref _listener, created, null) ?? created;
        }
    }

    /// <summary>Times the shared listener has (re)connected; 0 before the first live subscriber.</summary>
    internal int ListenerConnects => Volatile.Read(ref _listener)?.Connects ?? 0;

    /// <summary>
    /// The shared LISTEN connection's state: a lost one is reconnected with backoff while subscribers poll; this
    /// makes the outage visible (listening or not, losses, the last error).
    /// </summary>
    public NotificationListenerStatus ListenerStatus
        => Volatile.Read(ref _listener)?.Status ?? new NotificationListenerStatus(false, 0, 0, null, null);

    Task IAppendNotifications.NextAppendSignal() => Listener.Next();

    TimeSpan IAppendNotifications.PollInterval => PollInterval;

    private ValueTask StopListenerAsync()
    {
        Volatile.Write(ref _listenerStopped, 1);
        return Volatile.Read(ref _listener)?.DisposeAsync() ?? ValueTask.CompletedTask;
    }
}
