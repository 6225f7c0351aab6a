using Eventuali.Subscriptions;

namespace Eventuali.Projections;

/// <summary>
/// How a projection's loop waits after a failed turn, by the shared retry policy (<see cref="ProjectionDaemonOptions.Retry"/>):
/// a transient store error (a dropped connection, a failover) is retried after the policy's backoff, promptly; a
/// permanent error, a handler's, or transient ones past the budget are kept as <see cref="LastError"/> (store errors
/// as a <see cref="StoreRetryException"/> with the attempts) and the loop tries again after the lease retry interval,
/// as a long-running service must: the position stored with the read model makes every retry safe.
/// </summary>
internal sealed partial class ProjectionRunner
{
    private StoreRetry? _retry;

    private StoreRetry Retry => _retry ??= new StoreRetry(options.Retry, options.Retry.TimeProvider ?? options.TimeProvider, $"Projection '{projection.Name}' on node '{options.NodeId}'");

    /// <summary>Waits before the next turn; false when stopping was requested meanwhile.</summary>
    private async Task<bool> AfterTurnAsync(Exception? failure, CancellationToken stopping)
    {
        if (failure is null)
        {
            return await DelayAsync(options.LeaseRetryInterval, stopping).ConfigureAwait(false);
        }

        try
        {
            await Retry.BackOffOrThrowAsync(failure, stopping).ConfigureAwait(false);
            return true;
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
            return false;
        }
        catch (Exception given) when (given is not OutOfMemoryException)
        {
            _lastError = given;
            Retry.Succeeded();
            return await DelayAsync(options.LeaseRetryInterval, stopping).ConfigureAwait(false);
        }
    }
}
