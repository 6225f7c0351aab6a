namespace Eventuali.Integrity;

/// <summary>
/// Storage for the tamper-evident log: one chain entry per sealed event, keyed by global position, and the signed
/// checkpoints over it. The hashes are computed outside the backend (Eventuali.Security); the backend only keeps
/// them, reads them back in position order and records removals made by its own stream lifecycle operations
/// (hard delete, tombstone, truncate), so a verifier can tell them from rows deleted behind the store's back.
/// Implemented by every built-in store; find it with <c>store.GetFeature&lt;IEventChainStore&gt;()</c>.
/// </summary>
public interface IEventChainStore
{
    /// <summary>The entry with the highest position, or null when nothing is sealed yet.</summary>
    ValueTask<EventChainEntry?> ReadLastEntryAsync(CancellationToken cancellationToken = default);

    /// <summary>The entries at <paramref name="fromPosition"/> and above, in position order, paged.</summary>
    IAsyncEnumerable<EventChainEntry> ReadEntriesAsync(long fromPosition = 1, CancellationToken cancellationToken = default);

    /// <summary>
    /// Appends <paramref name="entries"/> (ascending positions, all above <paramref name="afterPosition"/>) in one
    /// transaction, if the highest stored entry is still at <paramref name="afterPosition"/> (0: none); returns false
    /// and stores nothing otherwise (another sealer got there first). Entries whose event was removed by a lifecycle
    /// operation in the meantime are stored marked as removed.
    /// </summary>
    ValueTask<bool> AppendEntriesAsync(long afterPosition, IReadOnlyList<EventChainEntry> entries, CancellationToken cancellationToken = default);

    /// <summary>
    /// Archived events (moved out of the global log by <c>ArchiveStreamAsync</c>) at <paramref name="fromPosition"/>
    /// and above, in position order, exactly as stored (no interceptor sees them).
    /// </summary>
    IAsyncEnumerable<RecordedEvent> ReadArchivedLogAsync(long fromPosition = 1, CancellationToken cancellationToken = default);

    /// <summary>Stores a signed checkpoint (a second one at the same position replaces the first).</summary>
    ValueTask AddCheckpointAsync(EventChainCheckpoint checkpoint, CancellationToken cancellationToken = default);

    /// <summary>The stored checkpoints in position order.</summary>
    IAsyncEnumerable<EventChainCheckpoint> ReadCheckpointsAsync(CancellationToken cancellationToken = default);
}
