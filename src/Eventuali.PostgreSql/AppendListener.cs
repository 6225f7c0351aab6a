using Eventuali.Subscriptions;
using Npgsql;

namespace Eventuali.PostgreSql;

/// <summary>
/// ONE listening connection per store instance, shared by all its live subscribers: every NOTIFY on the
/// store's channel sets the wake-up signal. Started by the first subscriber. A lost or refused connection is
/// never fatal: the listener records it (<see cref="Status"/>), wakes subscribers so they re-read at once, and
/// reconnects with backoff (from <see cref="MinRetryDelay"/> up to <see cref="MaxRetryDelay"/>, reset once
/// listening again). Meanwhile subscribers fall back to polling, so delivery is delayed, never lost.
/// </summary>
internal sealed class AppendListener(NpgsqlDataSource dataSource, string listenSql, TimeProvider clock) : IAsyncDisposable
{
    private static readonly TimeSpan MinRetryDelay = TimeSpan.FromMilliseconds(50);
    private static readonly TimeSpan MaxRetryDelay = TimeSpan.FromSeconds(5);

    // An idle listener checks its connection this often, so a silently dropped one is noticed.
    private static readonly TimeSpan KeepAlive = TimeSpan.FromSeconds(30);

    private readonly AppendWakeup _wakeup = new();
    private readonly CancellationTokenSource _stop = new();
    private Task? _loop;
    private int _started;
    private int _connects;
    private int _losses;
    private volatile bool _listening;
    private volatile Exception? _lastError;
    private long _lostAtTicks;

    /// <summary>Times the listener has connected and issued LISTEN (for tests of reconnection).</summary>
    public int Connects => Volatile.Read(ref _connects);

    /// <summary>Where the listener stands: listening or not, connections made and lost, the last error.</summary>
    public NotificationListenerStatus Status => new(
        _listening,
        Volatile.Read(ref _connects),
        Volatile.Read(ref _losses),
        _lastError,
        Volatile.Read(ref _lostAtTicks) is var t and not 0 ? new DateTimeOffset(t, TimeSpan.Zero) : null);

    public Task Next()
    {
        if (Volatile.Read(ref _started) == 0 && Interlocked.Exchange(ref _started, 1) == 0)
        {
            _loop = Task.Run(() => RunAsync(_stop.Token));
        }

        return _wakeup.Next;
    }

    private async Task RunAsync(CancellationToken stop)
    {
        var retry = MinRetryDelay;
        while (!stop.IsCancellationRequested)
        {
            var connectsBefore = Connects;
            try
            {
                await ListenAsync(stop).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                // Lost or refused, whatever the cause: record it, and wake subscribers so they re-read now.
                // They keep polling until the listener is back.
                Lost(ex);
            }

            // It was listening before this loss: reconnect promptly; refused again and again: back off further.
            retry = Connects != connectsBefore ? MinRetryDelay : TimeSpan.FromTicks(Math.Min(retry.Ticks * 2, MaxRetryDelay.Ticks));
            try
            {
                await Task.Delay(retry, clock, stop).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    private void Lost(Exception error)
    {
        _lastError = error;
        if (_listening)
        {
            _listening = false;
            Interlocked.Increment(ref _losses);
            Volatile.Write(ref _lostAtTicks, clock.GetUtcNow().UtcTicks);
        }

        _wakeup.Set();
    }

    private async Task ListenAsync(CancellationToken stop)
    {
        var connection = await dataSource.OpenConnectionAsync(stop).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            connection.Notification += (_, _) => _wakeup.Set();
            await ExecuteAsync(connection, listenSql, stop).ConfigureAwait(false);
            Interlocked.Increment(ref _connects);
            Volatile.Write(ref _lostAtTicks, 0);
            _listening = true;

            // Listening (again): anything appended before now is read by subscribers woken here.
            _wakeup.Set();
            while (true)
            {
                if (!await connection.WaitAsync(KeepAlive, stop).ConfigureAwait(false))
                {
                    await ExecuteAsync(connection, "SELECT 1", stop).ConfigureAwait(false);
                }
            }
        }
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, string sql, CancellationToken ct)
    {
        var command = new NpgsqlCommand(sql, connection);
        await using (command.ConfigureAwait(false))
        {
            await command.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        if (_loop is { } loop)
        {
            await loop.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }

        _listening = false;
        _stop.Dispose();
    }
}
