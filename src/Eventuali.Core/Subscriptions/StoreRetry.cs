using System.Data.Common;
using System.Runtime.ExceptionServices;

namespace Eventuali.Subscriptions;

/// <summary>
/// One retry budget: counts failures in a row, waits the backoff on the clock for a transient error, and throws
/// <see cref="StoreRetryException"/> for a permanent store error or when the budget is used up; any other exception
/// (a handler's) is rethrown unchanged. Used by every loop that
/// re-reads the log (subscriptions, the projection daemon, the saga runner), so they share one policy.
/// </summary>
internal sealed class StoreRetry(SubscriptionRetryOptions options, TimeProvider clock, string operation)
{
    private int _failures;

    /// <summary>Failures in a row so far.</summary>
    public int Failures => Volatile.Read(ref _failures);

    public void Succeeded() => Volatile.Write(ref _failures, 0);

    /// <summary>
    /// Whether <paramref name="error"/> is for the retry loop to judge: not the caller's cancellation.
    /// Use as an exception filter, then call <see cref="BackOffOrThrowAsync"/>.
    /// </summary>
    public static bool Catches(Exception error, CancellationToken ct)
        => !(error is OperationCanceledException && ct.IsCancellationRequested) && error is not OutOfMemoryException;

    /// <summary>Waits the backoff when <paramref name="error"/> is transient and the budget allows; throws otherwise.</summary>
    public async ValueTask BackOffOrThrowAsync(Exception error, CancellationToken ct)
    {
        var failures = Interlocked.Increment(ref _failures);
        var transient = TransientErrors.IsTransient(error);
        if (!transient && error is not (EventualiException or DbException))
        {
            // Not a store error (a handler's own exception, a bug): it surfaces as it was thrown.
            ExceptionDispatchInfo.Throw(error);
        }

        if (!transient || failures >= options.MaxAttempts)
        {
            throw new StoreRetryException(operation, failures, transient, error);
        }

        await Task.Delay(options.BackoffAfter(failures), clock, ct).ConfigureAwait(false);
    }

    /// <summary>Runs <paramref name="work"/> until it succeeds, retrying transient errors.</summary>
    public async ValueTask<T> RunAsync<T>(Func<CancellationToken, ValueTask<T>> work, CancellationToken ct)
    {
        while (true)
        {
            try
            {
                var result = await work(ct).ConfigureAwait(false);
                Succeeded();
                return result;
            }
            catch (Exception ex) when (Catches(ex, ct))
            {
                await BackOffOrThrowAsync(ex, ct).ConfigureAwait(false);
            }
        }
    }

    /// <summary>As <see cref="RunAsync{T}"/> for work without a result.</summary>
    public async ValueTask RunAsync(Func<CancellationToken, ValueTask> work, CancellationToken ct)
        => await RunAsync(async c =>
        {
            await work(c).ConfigureAwait(false);
            return true;
        }, ct).ConfigureAwait(false);
}
