using Eventuali.Messaging;

namespace Eventuali.Cli.Commands;

/// <summary>
/// What <c>relay run</c> does while the relay runs: says when the broker stops confirming (and why, once per distinct
/// error), says when it resumes, and with <c>--until-caught-up</c> returns once the confirmed checkpoint reaches the
/// head. It returns early when the relay itself stopped (a refused configuration), so a caller never waits on a dead relay.
/// </summary>
internal static class RelayWatch
{
    private static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(100);

    /// <summary>Watches until caught up (when asked), the relay stopped, or <paramref name="ct"/> is cancelled (Ctrl+C: a normal end).</summary>
    public static async Task WatchAsync(IEventStore store, EventRelay relay, Task running, bool untilCaughtUp, TextWriter error, CancellationToken ct)
    {
        string? reported = null;
        while (!running.IsCompleted)
        {
            if (relay.IsPaused && relay.LastError is { } paused && paused.Message != reported)
            {
                reported = paused.Message;
                await error.WriteLineAsync($"relay '{relay.Route.Name}': the broker is not confirming, retrying: {CliApp.OneLine(paused.Message)}").ConfigureAwait(false);
            }
            else if (!relay.IsPaused && reported is not null)
            {
                reported = null;
                await error.WriteLineAsync($"relay '{relay.Route.Name}': the broker confirms again.").ConfigureAwait(false);
            }

            try
            {
                if (untilCaughtUp && await IsCaughtUpAsync(store, relay.Route.Name, ct).ConfigureAwait(false))
                {
                    return;
                }

                // Wakes on the interval or as soon as the relay stops, whichever is first.
                await running.WaitAsync(Interval, ct).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                return;
            }

            if (ct.IsCancellationRequested)
            {
                return;
            }
        }
    }

    private static async Task<bool> IsCaughtUpAsync(IEventStore store, string route, CancellationToken ct)
    {
        var head = await store.GetHeadPositionAsync(ct).ConfigureAwait(false);
        var status = (await RelayStatus.ListAsync(store, ct).ConfigureAwait(false)).FirstOrDefault(s => string.Equals(s.Route, route, StringComparison.Ordinal));
        return status is not null && status.Position >= head;
    }
}
