namespace Eventuali;

/// <summary>
/// An event store: append-only streams with optimistic concurrency, and one global log
/// in which every event has a strictly increasing position. All backends honour the same contract.
/// </summary>
public interface IEventStore : IAsyncDisposable
{
    /// <summary>The options the store was opened with (serialization, clock, durability).</summary>
    EventStoreOptions Options { get; }

    /// <summary>
    /// Appends events to a stream, all or none. Throws <see cref="ConcurrencyException"/> when
    /// <paramref name="expectedVersion"/> does not hold. Appending the same event ids to the same
    /// stream at the same place again returns the original result and writes nothing.
    /// </summary>
    ValueTask<AppendResult> AppendAsync(string streamId, ExpectedVersion expectedVersion, IReadOnlyList<EventData> events, CancellationToken cancellationToken = default);

    /// <summary>
    /// Reads a stream from <paramref name="fromVersion"/> (inclusive). Backward reads start at
    /// <paramref name="fromVersion"/> and go down; pass <see cref="StreamVersion.End"/> for the newest.
    /// A stream that does not exist yields nothing. Results stream; nothing is buffered whole.
    /// </summary>
    IAsyncEnumerable<RecordedEvent> ReadStreamAsync(string streamId, long fromVersion = StreamVersion.Start, int maxCount = int.MaxValue, ReadDirection direction = ReadDirection.Forward, CancellationToken cancellationToken = default);

    /// <summary>
    /// Reads the global log in position order from <paramref name="fromPosition"/> (inclusive).
    /// A reader never skips an event: an event that is not yet returned will never appear below
    /// a position already returned.
    /// </summary>
    IAsyncEnumerable<RecordedEvent> ReadAllAsync(long fromPosition = 1, int maxCount = int.MaxValue, EventFilter? filter = null, CancellationToken cancellationToken = default);

    /// <summary>The stream's current version, or null when it does not exist; reads no events.</summary>
    ValueTask<long?> GetStreamVersionAsync(string streamId, CancellationToken cancellationToken = default);

    /// <summary>
    /// The highest position a reader of the global log can see now (0 when the log is empty).
    /// Every event at or below it can be read; none will ever appear below it later.
    /// </summary>
    ValueTask<long> GetHeadPositionAsync(CancellationToken cancellationToken = default);

    /// <summary>
    /// The store's capability of type <typeparamref name="TFeature"/> (checkpoints, lifecycle, snapshots, projections,
    /// sagas, statistics, import, append notifications, ...), or null when it has none. Every capability is found
    /// through here, never by casting the store, so a wrapper (see <see cref="Interception.InterceptedEventStore"/>)
    /// can pass a capability through or wrap it. The default answers from the store's own type.
    /// </summary>
    TFeature? GetFeature<TFeature>()
        where TFeature : class
        => this as TFeature;
}
