using Eventuali.Subscriptions;
using Npgsql;

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

    // Behind a pooler without a direct server there is no session to LISTEN on: subscribers poll.
    private static readonly Task NoSignal = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously).Task;

    private AppendListener? _listener;
    private int _listenerStopped;
    private NpgsqlDataSource? _sessionDataSource;

    /// <summary>
    /// Connections that need a session of their own (LISTEN): the store's pool, or behind a pooler one of the direct
    /// server's; null behind a pooler without one.
    /// </summary>
    private NpgsqlDataSource? SessionDataSource
    {
        get
        {
            if (!_settings.BehindPooler && _ownsDataSource)
            {
                return _dataSource;
            }

            // A tenant's store listens on an unpooled connection: closing it ends the session and its LISTEN, so the
            // shared pool never hands a connection still listening on this tenant's channel to another tenant.
            var direct = _settings.BehindPooler ? _settings.DirectBuilder : new NpgsqlConnectionStringBuilder(_settings.Builder.ConnectionString) { Pooling = false };
            if (direct is null)
            {
                return null;
            }

            if (Volatile.Read(ref _sessionDataSource) is { } existing)
            {
                return existing;
            }

            var created = NpgsqlDataSource.Create(direct);
            if (Interlocked.CompareExchange(ref _sessionDataSource, created, null) is { } raced)
            {
                created.Dispose();
                return raced;
            }

            return created;
        }
    }

    private async ValueTask<NpgsqlConnection> OpenSessionConnectionAsync(CancellationToken ct)
    {
        var source = SessionDataSource ?? throw new EventStoreConfigurationException(
            $"Listening for appends needs a session of its own, which a transaction pooler does not keep: add '{PgSettings.DirectKey}=host:port' (the PostgreSQL server behind the pooler) to the URL.");
        try
        {
            return PgTenantScope.Mark(await source.OpenConnectionAsync(ct).ConfigureAwait(false), _settings);
        }
        catch (Exception ex) when (PgErrors.Map(ex, _settings) is { } mapped)
        {
            throw mapped;
        }
    }

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
            var created = new AppendListener(SessionDataSource!, _sql["listen"], TimeProvider.System);
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

    Task IAppendNotifications.NextAppendSignal() => _settings.SessionBuilder is null ? NoSignal : Listener.Next();

    TimeSpan IAppendNotifications.PollInterval => PollInterval;

    private async ValueTask StopListenerAsync()
    {
        Volatile.Write(ref _listenerStopped, 1);
        if (Volatile.Read(ref _listener) is { } listener)
        {
            await listener.DisposeAsync().ConfigureAwait(false);
        }

        if (Interlocked.Exchange(ref _sessionDataSource, null) is { } session)
        {
            await session.DisposeAsync().ConfigureAwait(false);
        }
    }
}
