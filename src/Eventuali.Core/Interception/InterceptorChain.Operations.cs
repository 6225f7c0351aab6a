using Eventuali.Auditing;

namespace Eventuali.Interception;

/// <summary>Whole operations, reported to the interceptors that observe them; nothing is counted when none does.</summary>
internal sealed partial class InterceptorChain
{
    private readonly EventStoreInterceptor[] _observers;

    public bool ObservesOperations => _observers.Length > 0;

    public IReadOnlyList<EventStoreInterceptor> Interceptors => _interceptors;

    /// <summary>
    /// Reports <paramref name="operation"/> to every observer, in order. Reported without the caller's token: the
    /// operation already happened, so a cancelled caller must not make it go unrecorded.
    /// </summary>
    public async ValueTask ReportAsync(StoreOperation operation)
    {
        foreach (var observer in _observers)
        {
            await observer.OnOperationAsync(operation, CancellationToken.None).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Runs <paramref name="operation"/> and reports how it ended: with the count <paramref name="count"/> takes from
    /// its result, or <paramref name="offered"/> (the events it was given) when it failed.
    /// </summary>
    public async ValueTask<T> RunAsync<T>(AuditAction action, string name, string? streamId, Func<ValueTask<T>> operation, Func<T, long> count, long offered = 0)
    {
        T result;
        try
        {
            result = await operation().ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            await ReportAsync(new StoreOperation(action, name, streamId, offered, ex)).ConfigureAwait(false);
            throw;
        }

        await ReportAsync(new StoreOperation(action, name, streamId, count(result))).ConfigureAwait(false);
        return result;
    }

    /// <summary>
    /// <paramref name="source"/>, reported as one read when the reader finishes, fails or stops early (the events it
    /// took are counted). A read never enumerated is no operation and is not reported.
    /// </summary>
    public IAsyncEnumerable<RecordedEvent> Observe(IAsyncEnumerable<RecordedEvent> source, string name, string? streamId, CancellationToken cancellationToken)
        => ObservesOperations ? ObserveCore(source, name, streamId, cancellationToken) : source;

    private IAsyncEnumerable<RecordedEvent> ObserveCore(IAsyncEnumerable<RecordedEvent> source, string name, string? streamId, CancellationToken cancellationToken)
        => Streaming.ReadTracking.Track(
            source,
            static () => 0,
            (_, count, error) => ReportAsync(new StoreOperation(AuditAction.Read, name, streamId, count, error)),
            cancellationToken);
}
