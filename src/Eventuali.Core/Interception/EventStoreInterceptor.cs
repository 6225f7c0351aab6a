using Eventuali.Snapshots;

namespace Eventuali.Interception;

/// <summary>
/// Cross-cutting behaviour applied to every backend at the few points all of them share: event data on the way in,
/// recorded events on the way out, snapshot bytes both ways, and whole operations when they end. Override only the hooks a feature needs; the
/// others pass values through unchanged. Apply with <see cref="InterceptionExtensions.WithInterceptors"/>.
/// Hooks run on the hot path once per event: keep them cheap and thread-safe (one interceptor instance serves every
/// caller of the store). A feature that needs I/O (fetching a key, storing one) overrides the <c>...Async</c> hooks;
/// their defaults call the synchronous ones, and the store always calls the asynchronous ones, so a hook that
/// usually completes synchronously (a cache hit) costs no allocation.
/// </summary>
public abstract class EventStoreInterceptor
{
    /// <summary>
    /// An event about to be appended (or imported) to <paramref name="streamId"/>. Returns the event to store, which
    /// may have rewritten data or metadata; keep the event id, so an idempotent retry still matches.
    /// </summary>
    public virtual EventData OnAppending(string streamId, EventData data) => data;

    /// <summary>
    /// A stored event on its way to a reader: stream and global-log reads, archived reads, subscriptions,
    /// projections (daemon and inline), sagas, exports. Returns the event the reader sees.
    /// </summary>
    public virtual RecordedEvent OnReading(RecordedEvent recorded) => recorded;

    /// <summary>A snapshot about to be stored (its bytes already compressed and checksummed). Returns what to store.</summary>
    public virtual StoredSnapshot OnWritingSnapshot(StoredSnapshot snapshot) => snapshot;

    /// <summary>A stored snapshot on its way to the loader (before its checksum is checked). Returns what the loader sees.</summary>
    public virtual StoredSnapshot OnReadingSnapshot(StoredSnapshot snapshot) => snapshot;

    /// <summary>
    /// The asynchronous form of <see cref="OnAppending"/>, the one the store calls; the default calls
    /// <see cref="OnAppending"/>. Override it when the hook needs I/O.
    /// </summary>
    public virtual ValueTask<EventData> OnAppendingAsync(string streamId, EventData data, CancellationToken cancellationToken)
        => ValueTask.FromResult(OnAppending(streamId, data));

    /// <summary>The asynchronous form of <see cref="OnReading"/>, the one the store calls; the default calls <see cref="OnReading"/>.</summary>
    public virtual ValueTask<RecordedEvent> OnReadingAsync(RecordedEvent recorded, CancellationToken cancellationToken)
        => ValueTask.FromResult(OnReading(recorded));

    /// <summary>The asynchronous form of <see cref="OnWritingSnapshot"/>, the one the store calls; the default calls <see cref="OnWritingSnapshot"/>.</summary>
    public virtual ValueTask<StoredSnapshot> OnWritingSnapshotAsync(StoredSnapshot snapshot, CancellationToken cancellationToken)
        => ValueTask.FromResult(OnWritingSnapshot(snapshot));

    /// <summary>
    /// The asynchronous form of <see cref="OnReadingSnapshot"/>, the one the store calls; the default calls
    /// <see cref="OnReadingSnapshot"/>. Returning null hides the snapshot (the loader replays the stream instead).
    /// </summary>
    public virtual ValueTask<StoredSnapshot?> OnReadingSnapshotAsync(StoredSnapshot snapshot, CancellationToken cancellationToken)
        => ValueTask.FromResult<StoredSnapshot?>(OnReadingSnapshot(snapshot));

    /// <summary>
    /// True when <see cref="OnOperationAsync"/> is overridden and wants to be called: the store skips the per-operation
    /// bookkeeping (counting, timing the end of reads) unless some interceptor says so.
    /// </summary>
    public virtual bool ObservesOperations => false;

    /// <summary>
    /// A whole operation ended (see <see cref="StoreOperation"/>): called once per append, read, lifecycle change or
    /// reported operation, after it succeeded or failed, never per event. Called only when
    /// <see cref="ObservesOperations"/> is true. It cannot change the outcome: keep it cheap and do not throw.
    /// </summary>
    public virtual ValueTask OnOperationAsync(StoreOperation operation, CancellationToken cancellationToken) => ValueTask.CompletedTask;
}
