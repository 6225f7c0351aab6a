using Npgsql;

namespace Eventuali.PostgreSql;

/// <summary>
/// Renewal: every third of the lease's duration on the keep-alive connection (reopened after a failure). The lease
/// is lost when a renewal finds another epoch, or when none succeeded for a whole duration: the holder then stops
/// starting work, and its commits in flight are refused by the epoch check.
/// </summary>
internal sealed partial class PgProjectionLease
{
    private async Task RenewLoopAsync()
    {
        var options = _connections.Options;
        var renewed = Clock.GetTimestamp();
        var closing = _closing.Token;
        while (!closing.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(options.RenewInterval, Clock, closing).ConfigureAwait(false);
                using var attempt = CancellationTokenSource.CreateLinkedTokenSource(closing);
                attempt.CancelAfter(options.RenewInterval);
                _keepAlive ??= await _connections.OpenKeepAliveAsync(attempt.Token).ConfigureAwait(false);
                var epoch = await PgProjectionDb.ScalarAsync(_keepAlive, null, _leases["renew"], attempt.Token,
                    PgProjectionDb.Text(Name), PgProjectionDb.Long(Epoch), PgProjectionDb.Long((long)options.Duration.TotalMilliseconds)).ConfigureAwait(false);
                if (epoch is null)
                {
                    await _lost.CancelAsync().ConfigureAwait(false);
                    return;
                }

                renewed = Clock.GetTimestamp();
            }
            catch (OperationCanceledException) when (closing.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex) when (ex is NpgsqlException or OperationCanceledException or TimeoutException or InvalidOperationException)
            {
                // A broken or slow keep-alive connection: reopen it next time, and give up once the lease may have expired.
                if (_keepAlive is { } broken)
                {
                    _keepAlive = null;
                    await broken.DisposeAsync().ConfigureAwait(false);
                }

                if (Clock.GetElapsedTime(renewed) >= options.Duration)
                {
                    await _lost.CancelAsync().ConfigureAwait(false);
                    return;
                }
            }
        }
    }
}
