using Eventuali.Auditing;
using Eventuali.Import;
using Eventuali.Lifecycle;
using Eventuali.Projections;
using Eventuali.Snapshots;

namespace Eventuali.Interception;

/// <summary>
/// A store seen through interceptors: the one wrapper that applies cross-cutting behaviour to any backend.
/// <see cref="GetFeature{TFeature}"/> wraps the capabilities that carry events or snapshot bytes (lifecycle's
/// archived reads, import, snapshots, inline projections) and passes every other capability through, so a
/// wrapped store keeps every capability its backend has.
/// </summary>
public sealed class InterceptedEventStore : IEventStore
{
    private readonly InterceptorChain _chain;

    /// <summary>Wraps <paramref name="inner"/>; see <see cref="InterceptionExtensions.WithInterceptors"/>.</summary>
    public InterceptedEventStore(IEventStore inner, IEnumerable<EventStoreInterceptor> interceptors)
    {
        ArgumentNullException.ThrowIfNull(inner);
        Inner = inner;
        _chain = new InterceptorChain(interceptors);
    }

    /// <summary>The wrapped store (writes and reads through it bypass the interceptors).</summary>
    public IEventStore Inner { get; }

    /// <summary>The interceptors, in the order writes pass them.</summary>
    public IReadOnlyList<EventStoreInterceptor> Interceptors => _chain.Interceptors;

    /// <inheritdoc />
    public EventStoreOptions Options => Inner.Options;

    /// <inheritdoc />
    public ValueTask<AppendResult> AppendAsync(string streamId, ExpectedVersion expectedVersion, IReadOnlyList<EventData> events, CancellationToken cancellationToken = default)
    {
        if (_chain.ObservesOperations)
        {
            return AppendObservedAsync(streamId, expectedVersion, events, cancellationToken);
        }

        var pending = _chain.InAsync(streamId, events, cancellationToken);
        return pending.IsCompletedSuccessfully
            ? Inner.AppendAsync(streamId, expectedVersion, pending.Result, cancellationToken)
            : AppendSlowAsync(streamId, expectedVersion, pending, cancellationToken);
    }

    /// <inheritdoc />
    public IAsyncEnumerable<RecordedEvent> ReadStreamAsync(string streamId, long fromVersion = StreamVersion.Start, int maxCount = int.MaxValue, ReadDirection direction = ReadDirection.Forward, CancellationToken cancellationToken = default)
        => _chain.Observe(_chain.Out(Inner.ReadStreamAsync(streamId, fromVersion, maxCount, direction, cancellationToken), cancellationToken), "read-stream", streamId, cancellationToken);

    /// <inheritdoc />
    public IAsyncEnumerable<RecordedEvent> ReadAllAsync(long fromPosition = 1, int maxCount = int.MaxValue, EventFilter? filter = null, CancellationToken cancellationToken = default)
        => _chain.Observe(_chain.Out(Inner.ReadAllAsync(fromPosition, maxCount, filter, cancellationToken), cancellationToken), "read-all", null, cancellationToken);

    /// <inheritdoc />
    public ValueTask<long?> GetStreamVersionAsync(string streamId, CancellationToken cancellationToken = default)
        => Inner.GetStreamVersionAsync(streamId, cancellationToken);

    /// <inheritdoc />
    public ValueTask<long> GetHeadPositionAsync(CancellationToken cancellationToken = default)
        => Inner.GetHeadPositionAsync(cancellationToken);

    /// <summary>
    /// The capability, wrapped when it carries events or snapshot bytes, else the backend's own. A new capability
    /// that carries events must get a wrapper here, or it would bypass the interceptors.
    /// </summary>
    public TFeature? GetFeature<TFeature>()
        where TFeature : class
    {
        if (typeof(TFeature) == typeof(IEventStore))
        {
            return this as TFeature;
        }

        object? wrapped = typeof(TFeature) switch
        {
            var t when t == typeof(IStreamLifecycle) => Inner.GetFeature<IStreamLifecycle>() is { } l ? new InterceptedLifecycle(l, _chain) : null,
            var t when t == typeof(IEventImporter) => Inner.GetFeature<IEventImporter>() is { } i ? new InterceptedImporter(i, _chain) : null,
            var t when t == typeof(ISnapshotStore) => Inner.GetFeature<ISnapshotStore>() is { } s ? new InterceptedSnapshots(s, _chain) : null,
            var t when t == typeof(IInlineProjectionStore) => Inner.GetFeature<IInlineProjectionStore>() is { } p ? new InterceptedInlineProjections(p, _chain) : null,
            _ => Inner.GetFeature<TFeature>(),
        };
        return (TFeature?)wrapped;
    }

    /// <summary>
    /// Reports an operation made outside this store's own methods (a key rotation, a subject's erasure, an
    /// administrative command) to the interceptors that observe operations, as if the store had made it.
    /// </summary>
    public ValueTask ReportOperationAsync(StoreOperation operation, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(operation);
        cancellationToken.ThrowIfCancellationRequested();
        return _chain.ReportAsync(operation);
    }

    /// <summary>
    /// Runs an operation made outside this store's own methods and reports how it ended (see
    /// <see cref="ReportOperationAsync"/>): with the count <paramref name="count"/> takes from its result, or as failed.
    /// </summary>
    public ValueTask<T> RunOperationAsync<T>(AuditAction action, string name, Func<ValueTask<T>> operation, Func<T, long> count)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(operation);
        ArgumentNullException.ThrowIfNull(count);
        return _chain.RunAsync(action, name, null, operation, count);
    }

    /// <summary>
    /// <paramref name="events"/>, a read made outside this store's own methods (an export), reported as one read when
    /// its reader finishes, fails or stops early; returned as it is when no interceptor observes operations.
    /// </summary>
    public IAsyncEnumerable<RecordedEvent> ObserveRead(IAsyncEnumerable<RecordedEvent> events, string name, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(events);
        ArgumentNullException.ThrowIfNull(name);
        return _chain.Observe(events, name, null, cancellationToken);
    }

    private async ValueTask<AppendResult> AppendObservedAsync(string streamId, ExpectedVersion expectedVersion, IReadOnlyList<EventData> events, CancellationToken cancellationToken)
        => await _chain.RunAsync(
            AuditAction.Append,
            "append",
            streamId,
            async () => await Inner.AppendAsync(streamId, expectedVersion, await _chain.InAsync(streamId, events, cancellationToken).ConfigureAwait(false), cancellationToken).ConfigureAwait(false),
            _ => events?.Count ?? 0,
            events?.Count ?? 0).ConfigureAwait(false);

    private async ValueTask<AppendResult> AppendSlowAsync(string streamId, ExpectedVersion expectedVersion, ValueTask<IReadOnlyList<EventData>> pending, CancellationToken cancellationToken)
        => await Inner.AppendAsync(streamId, expectedVersion, await pending.ConfigureAwait(false), cancellationToken).ConfigureAwait(false);

    /// <summary>
    /// Disposes the interceptors that are <see cref="IAsyncDisposable"/> (so one that buffers, like an audit log,
    /// writes what it holds while the store is still open), then the wrapped store.
    /// </summary>
    public async ValueTask DisposeAsync()
    {
        try
        {
            foreach (var interceptor in _chain.Interceptors)
            {
                if (interceptor is IAsyncDisposable disposable)
                {
                    await disposable.DisposeAsync().ConfigureAwait(false);
                }
            }
        }
        finally
        {
            await Inner.DisposeAsync().ConfigureAwait(false);
        }
    }
}
