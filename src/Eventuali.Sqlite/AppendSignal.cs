namespace Eventuali.Sqlite;

/// <summary>
/// A cheap in-process "something was appended" signal: completes waiters once this store has
/// committed an event above a given position. Appends by other processes are not signalled.
/// </summary>
internal sealed class AppendSignal
{
    private TaskCompletionSource _next = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private long _head;

    public long Head => Volatile.Read(ref _head);

    /// <summary>Completes at the next <see cref="Publish"/> after this read.</summary>
    public Task Next => Volatile.Read(ref _next).Task;

    public void Publish(long head)
    {
        long seen;
        while (head > (seen = Volatile.Read(ref _head)) && Interlocked.CompareExchange(ref _head, head, seen) != seen)
        {
        }

        Interlocked.Exchange(ref _next, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult();
    }

    public Task WaitAsync(long afterPosition, CancellationToken cancellationToken)
    {
        var next = Volatile.Read(ref _next);
        return Head > afterPosition ? Task.CompletedTask : next.Task.WaitAsync(cancellationToken);
    }
}
