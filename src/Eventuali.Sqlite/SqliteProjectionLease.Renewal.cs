using Microsoft.Data.Sqlite;

namespace Eventuali.Sqlite;

/// <summary>
/// Renewal every third of the lease's duration. The lease is lost when a renewal finds another epoch, or when none
/// succeeded for a whole duration: the holder then stops starting work, and a commit in flight is refused by the epoch check.
/// </summary>
internal sealed partial class SqliteProjectionLease
{
    private async Task RenewLoopAsync()
    {
        var renewed = _clock.GetTimestamp();
        var closing = _closing.Token;
        while (!closing.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(_options.RenewInterval, _clock, closing).ConfigureAwait(false);
                var now = SqliteProjectionDb.Micros(_clock.GetUtcNow());
                if (SqliteProjectionDb.Query(_keepAlive, null, "lease_renew", r => r.GetInt64(0), Name, Epoch, now, Micros(_options.Duration)).Count == 0)
                {
                    await _lost.CancelAsync().ConfigureAwait(false);
                    return;
                }

                renewed = _clock.GetTimestamp();
            }
            catch (OperationCanceledException) when (closing.IsCancellationRequested)
            {
                return;
            }
            catch (SqliteException) when (_clock.GetElapsedTime(renewed) < _options.Duration)
            {
                // Busy (a long write elsewhere): try again next time, while the lease has not expired.
            }
            catch (SqliteException)
            {
                await _lost.CancelAsync().ConfigureAwait(false);
                return;
            }
        }
    }
}
