using Eventuali.Diagnostics;
using Eventuali.Typed;

namespace Eventuali.Snapshots;

/// <summary>Applies an aggregate type's <see cref="SnapshotPolicy"/> after a save, and builds stored snapshots.</summary>
internal static class SnapshotTaker
{
    /// <summary>Takes a snapshot when the policy says so. Never throws (not even when cancelled): the events are saved; a failure is reported.</summary>
    public static async ValueTask AfterSaveAsync(IEventStore store, Aggregate aggregate, long previousVersion, AppendResult result, CancellationToken ct)
    {
        var options = store.Options.Snapshots;
        if (options.PolicyFor(aggregate.GetType()) is not { } policy || store.GetFeature<ISnapshotStore>() is not { } snapshots || SnapshotShape.Of(aggregate.GetType()) is not { } shape)
        {
            return;
        }

        var streamId = AggregateStreams.StreamId(aggregate.GetType(), aggregate.Id);
        try
        {
            if (!await ShouldTakeAsync(store, snapshots, policy, aggregate, streamId, previousVersion, result.StreamVersion, ct).ConfigureAwait(false))
            {
                return;
            }

            // The state is captured now; compressing and storing it may happen later.
            var state = shape.Capture(aggregate);
            var version = result.StreamVersion;
            if (policy.Timing == SnapshotTiming.Background)
            {
                BackgroundSnapshots.For(store).Enqueue(streamId, version, () => WriteAsync(store, snapshots, policy, shape, streamId, version, result.LastPosition, state, CancellationToken.None));
                return;
            }

            await WriteAsync(store, snapshots, policy, shape, streamId, version, result.LastPosition, state, ct).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            // The events are committed: a cancelled or failed snapshot must not look like a failed save.
            options.Report(new SnapshotIssue(streamId, result.StreamVersion, SnapshotIssueKind.WriteFailed, $"taking the snapshot failed: {ex.Message}", ex));
        }
    }

    public static StoredSnapshot Build(IEventStore store, SnapshotShape shape, string streamId, long version, long position, byte[] state, SnapshotCodec codec)
    {
        var data = SnapshotCodecs.Encode(codec, state);
        var now = AppendValidation.Stamp(store.Options.TimeProvider);
        return new StoredSnapshot(streamId, version, position, shape.AggregateType, shape.SchemaVersion, codec, SnapshotCodecs.Checksum(data), data, now);
    }

    private static async Task WriteAsync(IEventStore store, ISnapshotStore snapshots, SnapshotPolicy policy, SnapshotShape shape, string streamId, long version, long position, byte[] state, CancellationToken ct)
    {
        using var span = Telemetry.StartInternal(EventualiOperations.SaveSnapshot, shape.AggregateType);
        await snapshots.WriteSnapshotAsync(Build(store, shape, streamId, version, position, state, policy.Codec), ct).ConfigureAwait(false);
        if (policy.KeepLast is { } keep)
        {
            await snapshots.PruneSnapshotsAsync(streamId, keep, ct).ConfigureAwait(false);
        }
    }

    private static async ValueTask<bool> ShouldTakeAsync(IEventStore store, ISnapshotStore snapshots, SnapshotPolicy policy, Aggregate aggregate, string streamId, long previous, long version, CancellationToken ct)
    {
        // Crossing a multiple of N needs no read: it depends on the versions only.
        if (policy.EveryEvents is { } n && version / n > previous / n)
        {
            return true;
        }

        if (policy.MaxAge is null && policy.When is null)
        {
            return false;
        }

        var latest = (await snapshots.ReadSnapshotAsync(streamId, long.MaxValue, ct).ConfigureAwait(false))?.ToInfo();
        var now = store.Options.TimeProvider.GetUtcNow();
        if (policy.MaxAge is { } age && (latest is null || (latest.Version < version && now - latest.CreatedAt > age)))
        {
            return true;
        }

        return policy.When is { } when && when(new SnapshotDecision(aggregate, previous, version, latest, now));
    }
}
