using Eventuali.Auditing;
using Eventuali.Import;
using Eventuali.Lifecycle;
using Eventuali.Projections;
using Eventuali.Snapshots;

namespace Eventuali.Interception;

// One small wrapper per capability that carries events or snapshot bytes; everything else is the backend's own.

/// <summary>Lifecycle operations pass through (reported as operations when observed); archived reads are intercepted like live ones.</summary>
internal sealed class InterceptedLifecycle(IStreamLifecycle inner, InterceptorChain chain) : IStreamLifecycle
{
    public ValueTask<bool> DeleteStreamAsync(string streamId, DeleteMode mode = DeleteMode.Soft, CancellationToken cancellationToken = default)
        => chain.ObservesOperations
            ? chain.RunAsync(AuditAction.Erase, mode switch { DeleteMode.Hard => "hard-delete-stream", DeleteMode.Tombstone => "tombstone-stream", _ => "delete-stream" }, streamId, () => inner.DeleteStreamAsync(streamId, mode, cancellationToken), static _ => 0)
            : inner.DeleteStreamAsync(streamId, mode, cancellationToken);

    public ValueTask<bool> RestoreStreamAsync(string streamId, CancellationToken cancellationToken = default)
        => chain.ObservesOperations
            ? chain.RunAsync(AuditAction.Admin, "restore-stream", streamId, () => inner.RestoreStreamAsync(streamId, cancellationToken), static _ => 0)
            : inner.RestoreStreamAsync(streamId, cancellationToken);

    public ValueTask<long> TruncateStreamAsync(string streamId, long beforeVersion, CancellationToken cancellationToken = default)
        => chain.ObservesOperations
            ? chain.RunAsync(AuditAction.Erase, "truncate-stream", streamId, () => inner.TruncateStreamAsync(streamId, beforeVersion, cancellationToken), static n => n)
            : inner.TruncateStreamAsync(streamId, beforeVersion, cancellationToken);

    public ValueTask<long> ArchiveStreamAsync(string streamId, long beforeVersion = long.MaxValue, CancellationToken cancellationToken = default)
        => chain.ObservesOperations
            ? chain.RunAsync(AuditAction.Admin, "archive-stream", streamId, () => inner.ArchiveStreamAsync(streamId, beforeVersion, cancellationToken), static n => n)
            : inner.ArchiveStreamAsync(streamId, beforeVersion, cancellationToken);

    public IAsyncEnumerable<RecordedEvent> ReadArchivedStreamAsync(string streamId, long fromVersion = StreamVersion.Start, int maxCount = int.MaxValue, ReadDirection direction = ReadDirection.Forward, CancellationToken cancellationToken = default)
        => chain.Observe(chain.Out(inner.ReadArchivedStreamAsync(streamId, fromVersion, maxCount, direction, cancellationToken), cancellationToken), "read-archived", streamId, cancellationToken);

    public ValueTask<StreamInfo> GetStreamInfoAsync(string streamId, CancellationToken cancellationToken = default) => inner.GetStreamInfoAsync(streamId, cancellationToken);

    public IAsyncEnumerable<string> ListStreamsAsync(string? prefix = null, CancellationToken cancellationToken = default) => inner.ListStreamsAsync(prefix, cancellationToken);
}

/// <summary>Imported events go through the same way in as appended ones.</summary>
internal sealed class InterceptedImporter(IEventImporter inner, InterceptorChain chain) : IEventImporter
{
    public ValueTask<AppendResult> ImportAsync(string streamId, ExpectedVersion expectedVersion, IReadOnlyList<EventData> events, DateTimeOffset timestamp, CancellationToken cancellationToken = default)
        => chain.ObservesOperations
            ? chain.RunAsync(AuditAction.Append, "import", streamId, () => ImportCoreAsync(streamId, expectedVersion, events, timestamp, cancellationToken), _ => events?.Count ?? 0, events?.Count ?? 0)
            : ImportCoreAsync(streamId, expectedVersion, events, timestamp, cancellationToken);

    private async ValueTask<AppendResult> ImportCoreAsync(string streamId, ExpectedVersion expectedVersion, IReadOnlyList<EventData> events, DateTimeOffset timestamp, CancellationToken cancellationToken)
        => await inner.ImportAsync(streamId, expectedVersion, await chain.InAsync(streamId, events, cancellationToken).ConfigureAwait(false), timestamp, cancellationToken).ConfigureAwait(false);
}

/// <summary>Snapshot bytes both ways; listings and pruning carry no data and pass through.</summary>
internal sealed class InterceptedSnapshots(ISnapshotStore inner, InterceptorChain chain) : ISnapshotStore
{
    public async ValueTask WriteSnapshotAsync(StoredSnapshot snapshot, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        await inner.WriteSnapshotAsync(await chain.SnapshotInAsync(snapshot, cancellationToken).ConfigureAwait(false), cancellationToken).ConfigureAwait(false);
    }

    public async ValueTask<StoredSnapshot?> ReadSnapshotAsync(string streamId, long maxVersion = long.MaxValue, CancellationToken cancellationToken = default)
        => await inner.ReadSnapshotAsync(streamId, maxVersion, cancellationToken).ConfigureAwait(false) is { } s
            ? await chain.SnapshotOutAsync(s, cancellationToken).ConfigureAwait(false)
            : null;

    public IAsyncEnumerable<SnapshotInfo> ListSnapshotsAsync(string streamId, CancellationToken cancellationToken = default) => inner.ListSnapshotsAsync(streamId, cancellationToken);

    public ValueTask<int> PruneSnapshotsAsync(string streamId, int keep, CancellationToken cancellationToken = default) => inner.PruneSnapshotsAsync(streamId, keep, cancellationToken);
}

/// <summary>An inline projection sees events as readers do: the backend runs a stand-in that intercepts each event first.</summary>
internal sealed class InterceptedInlineProjections(IInlineProjectionStore inner, InterceptorChain chain) : IInlineProjectionStore
{
    public ValueTask AddInlineProjectionAsync(Projection projection, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(projection);
        return inner.AddInlineProjectionAsync(new InterceptedProjection(projection, chain), cancellationToken);
    }

    private sealed class InterceptedProjection : Projection
    {
        public InterceptedProjection(Projection inner, InterceptorChain chain)
            : base(inner.Name)
        {
            StreamIdPrefix = inner.StreamIdPrefix;
            FailurePolicy = inner.FailurePolicy;
            foreach (var type in inner.EventTypes)
            {
                On(type, async (e, context, ct) => await inner.ApplyAsync(await chain.OutAsync(e, ct).ConfigureAwait(false), context, ct).ConfigureAwait(false));
            }
        }
    }
}
