namespace Eventuali.Snapshots;

/// <summary>
/// Snapshot storage next to the events (same database). Stores keep bytes; validation, decoding and
/// the choice of snapshot are the loader's. Every store in Eventuali implements it.
/// </summary>
public interface ISnapshotStore
{
    /// <summary>Stores <paramref name="snapshot"/>, replacing one already stored for the same stream and version.</summary>
    ValueTask WriteSnapshotAsync(StoredSnapshot snapshot, CancellationToken cancellationToken = default);

    /// <summary>The newest snapshot of the stream whose version is at most <paramref name="maxVersion"/>, or null.</summary>
    ValueTask<StoredSnapshot?> ReadSnapshotAsync(string streamId, long maxVersion = long.MaxValue, CancellationToken cancellationToken = default);

    /// <summary>The stream's snapshots, newest first, without their data.</summary>
    IAsyncEnumerable<SnapshotInfo> ListSnapshotsAsync(string streamId, CancellationToken cancellationToken = default);

    /// <summary>Deletes all but the newest <paramref name="keep"/> snapshots of the stream; returns how many it deleted.</summary>
    ValueTask<int> PruneSnapshotsAsync(string streamId, int keep, CancellationToken cancellationToken = default);
}
