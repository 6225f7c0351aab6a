namespace Eventuali.Lifecycle;

/// <summary>
/// Deleting, restoring, truncating and archiving streams. Implemented by every built-in store; see
/// docs/stream-lifecycle.md for what each reader sees after each operation. Every operation is one
/// transaction; none runs implicitly on append.
/// </summary>
public interface IStreamLifecycle
{
    /// <summary>
    /// Deletes a stream (see <see cref="DeleteMode"/>). Returns false when there was nothing to delete
    /// (no such stream, or already deleted the same way or harder). A hard delete also removes the stream's
    /// archived events and, when the store has a snapshots table, its snapshots.
    /// </summary>
    ValueTask<bool> DeleteStreamAsync(string streamId, DeleteMode mode = DeleteMode.Soft, CancellationToken cancellationToken = default);

    /// <summary>
    /// Brings a soft-deleted stream back intact (same events, versions and positions). Returns false when the stream
    /// is not soft-deleted; throws <see cref="StreamDeletedException"/> for a tombstoned stream.
    /// </summary>
    ValueTask<bool> RestoreStreamAsync(string streamId, CancellationToken cancellationToken = default);

    /// <summary>
    /// Removes the events with version below <paramref name="beforeVersion"/> (capped at the version + 1, i.e. all).
    /// The stream's version is unchanged and later appends continue from it. Returns how many events were removed.
    /// Throws <see cref="StreamDeletedException"/> for a deleted stream.
    /// </summary>
    ValueTask<long> TruncateStreamAsync(string streamId, long beforeVersion, CancellationToken cancellationToken = default);

    /// <summary>
    /// Moves the events with version below <paramref name="beforeVersion"/> (default: all) to archive storage in one
    /// transaction: they leave stream reads and the global log, and <see cref="ReadArchivedStreamAsync"/> (or
    /// <see cref="LifecycleExtensions.ReadStreamWithArchiveAsync"/>) returns them. The version is unchanged.
    /// Returns how many events were moved. Throws <see cref="StreamDeletedException"/> for a deleted stream.
    /// </summary>
    ValueTask<long> ArchiveStreamAsync(string streamId, long beforeVersion = long.MaxValue, CancellationToken cancellationToken = default);

    /// <summary>Reads a stream's archived events only (same arguments as <see cref="IEventStore.ReadStreamAsync"/>); nothing for a deleted stream.</summary>
    IAsyncEnumerable<RecordedEvent> ReadArchivedStreamAsync(string streamId, long fromVersion = StreamVersion.Start, int maxCount = int.MaxValue, ReadDirection direction = ReadDirection.Forward, CancellationToken cancellationToken = default);

    /// <summary>The stream's lifecycle state; <see cref="StreamStatus.None"/> when it does not exist.</summary>
    ValueTask<StreamInfo> GetStreamInfoAsync(string streamId, CancellationToken cancellationToken = default);

    /// <summary>Names of live streams (not deleted) starting with <paramref name="prefix"/> (null: all), in ordinal order, paged.</summary>
    IAsyncEnumerable<string> ListStreamsAsync(string? prefix = null, CancellationToken cancellationToken = default);
}
