using Eventuali.Subscriptions;
using Npgsql;

namespace Eventuali.PostgreSql;

/// <summary>
/// ONE listening connection per store instance, shared by all its live subscribers: every NOTIFY on the
/// store's channel sets the wake-up signal. Started by the first subscriber; after a connection loss it
/// reconnects (backing off up to <see cref="MaxRetryDelay"/>) and signals once listening again, so
/// subscribers re-read whatever was appended meanwhile. Subscribers also poll, so a missed notification
/// delays delivery but never loses it.
/// </summary>
internal sealed class AppendListener(NpgsqlDataSource dataSource, string listenSql) : IAsyncDisposable
{
    private static readonly TimeSpan MaxRetryDelay = TimeSpan.FromSeconds(5);

    // An idle listener checks its connection this often, so a silently dropped one is noticed.
    private static readonly TimeSpan KeepAlive = TimeSpan.FromSeconds(30);

    private readonly AppendWakeup _wakeup = new();
    private readonly CancellationTokenSource _stop = new();
    private Task? _loop;
    private int _started;
    private int _connects;

    /// <summary>Times the listener has connected and issued LISTEN (for tests of reconnection).</summary>
    public int Connects => Volatile.Read(ref _connects);

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
        var retry = TimeSpan.FromMilliseconds(50);
        while (!stop.IsCancellationRequested)
        {
            try
            {
                await ListenAsync(stop).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex) when (ex is NpgsqlException or IOException or InvalidOperationException or TimeoutException)
            {
                // Lost or refused: subscribers keep polling meanwhile; wake them so they re-read now.
                _wakeup.Set();
            }

            try
            {
                await Task.Delay(retry, stop).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }

            retry = TimeSpan.FromTicks(Math.Min(retry.Ticks * 2, MaxRetryDelay.Ticks));
        }
    }

    private async Task ListenAsync(CancellationToken stop)
    {
        var connection = await dataSource.OpenConnectionAsync(stop).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            connection.Notification += (_, _) => _wakeup.Set();
            await ExecuteAsync(connection, listenSql, stop).ConfigureAwait(false);
            Interlocked.Increment(ref _connects);

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

        _stop.Dispose();
    }
}
