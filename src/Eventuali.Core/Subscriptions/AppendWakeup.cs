using Eventuali.Subscriptions;

namespace Eventuali.Extensibility;

/// <summary>
/// An edge-triggered "something was appended" signal shared by every subscriber of a store:
/// <see cref="Next"/> completes at the next <see cref="Set"/>. One allocation per set, none per waiter.
/// </summary>
public sealed class AppendWakeup
{
    private TaskCompletionSource _next = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Completes at the next <see cref="Set"/>; take it before reading, so an append that lands during the read is not missed.</summary>
    public Task Next => Volatile.Read(ref _next).Task;

    /// <summary>Wakes every waiter on <see cref="Next"/> (called after an append committed).</summary>
    public void Set()
        => Interlocked.Exchange(ref _next, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult();
}
