namespace Eventuali.Sqlite;

/// <summary>One caller's append waiting for the writer loop; completed only after its transaction commits.</summary>
internal sealed class PendingAppend
{
    private const int Queued = 0;
    private const int Taken = 1;
    private const int Cancelled = 2;

    private readonly TaskCompletionSource<AppendResult> _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private CancellationTokenRegistration _registration;
    private int _state;

    public PendingAppend(string streamId, ExpectedVersion expectedVersion, IReadOnlyList<EventData> events, CancellationToken cancellationToken)
    {
        StreamId = streamId;
        ExpectedVersion = expectedVersion;
        Events = events;
        CancellationToken = cancellationToken;
        if (cancellationToken.CanBeCanceled)
        {
            _registration = cancellationToken.UnsafeRegister(static s => ((PendingAppend)s!).CancelIfQueued(), this);
        }
    }

    public string StreamId { get; }
    public ExpectedVersion ExpectedVersion { get; }
    public IReadOnlyList<EventData> Events { get; }
    public CancellationToken CancellationToken { get; }

    /// <summary>The time to record (an import's original time); null stamps the events with the store's clock.</summary>
    public DateTimeOffset? Timestamp { get; init; }

    public Task<AppendResult> Task => _completion.Task;

    /// <summary>The writer claims the append; false when it was cancelled while queued (it is then dropped).</summary>
    public bool TryTake() => Interlocked.CompareExchange(ref _state, Taken, Queued) == Queued;

    public void Succeed(AppendResult result)
    {
        _registration.Dispose();
        _completion.TrySetResult(result);
    }

    public void Fail(Exception error)
    {
        _registration.Dispose();
        _completion.TrySetException(error);
    }

    /// <summary>Cancels a claimed append that has not been written (e.g. while waiting for another process's lock).</summary>
    public void Cancel()
    {
        _registration.Dispose();
        _completion.TrySetCanceled(CancellationToken);
    }

    private void CancelIfQueued()
    {
        if (Interlocked.CompareExchange(ref _state, Cancelled, Queued) == Queued)
        {
            _completion.TrySetCanceled(CancellationToken);
        }
    }
}
