namespace Eventuali.Tenancy;

/// <summary>
/// A caller's hold on a tenant's store: every call goes to the store; disposing releases the hold (once) instead of
/// closing the store, which the factory owns. In memory, where the store outlives configuration changes, the hold
/// carries the options of the tenant's settings at the time it was handed out.
/// </summary>
internal sealed class TenantStoreHandle(IEventStore inner, Func<ValueTask>? release, EventStoreOptions? options = null) : IEventStore
{
    private Func<ValueTask>? _release = release;

    public EventStoreOptions Options => options ?? inner.Options;

    public ValueTask<AppendResult> AppendAsync(string streamId, ExpectedVersion expectedVersion, IReadOnlyList<EventData> events, CancellationToken cancellationToken = default)
        => inner.AppendAsync(streamId, expectedVersion, events, cancellationToken);

    public IAsyncEnumerable<RecordedEvent> ReadStreamAsync(string streamId, long fromVersion = StreamVersion.Start, int maxCount = int.MaxValue, ReadDirection direction = ReadDirection.Forward, CancellationToken cancellationToken = default)
        => inner.ReadStreamAsync(streamId, fromVersion, maxCount, direction, cancellationToken);

    public IAsyncEnumerable<RecordedEvent> ReadAllAsync(long fromPosition = 1, int maxCount = int.MaxValue, EventFilter? filter = null, CancellationToken cancellationToken = default)
        => inner.ReadAllAsync(fromPosition, maxCount, filter, cancellationToken);

    public ValueTask<long?> GetStreamVersionAsync(string streamId, CancellationToken cancellationToken = default)
        => inner.GetStreamVersionAsync(streamId, cancellationToken);

    public ValueTask<long> GetHeadPositionAsync(CancellationToken cancellationToken = default)
        => inner.GetHeadPositionAsync(cancellationToken);

    // Every capability is the tenant store's own; asking for the store itself returns this hold.
    public TFeature? GetFeature<TFeature>()
        where TFeature : class
        => typeof(TFeature) == typeof(IEventStore) ? this as TFeature : inner.GetFeature<TFeature>();

    public ValueTask DisposeAsync()
        => Interlocked.Exchange(ref _release, null) is { } release ? release() : ValueTask.CompletedTask;
}
