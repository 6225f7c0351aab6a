using Eventuali.Snapshots;

namespace Eventuali.Interception;

/// <summary>
/// Cross-cutting behaviour applied to every backend at the few points all of them share: event data on the way in,
/// recorded events on the way out, and snapshot bytes both ways. Override only the hooks a feature needs; the
/// others pass values through unchanged. Apply with <see cref="InterceptionExtensions.WithInterceptors"/>.
/// Hooks run on the hot path, synchronously, once per event: keep them cheap and thread-safe (one interceptor
/// instance serves every caller of the store).
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
}
