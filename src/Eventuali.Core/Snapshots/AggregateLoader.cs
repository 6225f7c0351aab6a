using System.Text.Json;
using Eventuali.Typed;

namespace Eventuali.Snapshots;

/// <summary>
/// Loads an aggregate as the latest valid snapshot at or below the point asked for plus the events after it,
/// or by replaying every event when no snapshot is usable. A snapshot is used only when it decodes, matches
/// its checksum, the aggregate's type and state shape, and the stream still holds the event it was taken at.
/// </summary>
internal static class AggregateLoader
{
    // Older snapshots are tried after a skipped one, up to this many, before replaying everything.
    private const int MaxCandidates = 8;

    public static async ValueTask<AggregateLoadResult<TAggregate>> LoadAsync<TAggregate>(IEventStore store, string id, AsOf asOf, CancellationToken ct)
        where TAggregate : Aggregate, new()
    {
        ArgumentNullException.ThrowIfNull(store);
        var streamId = AggregateStreams.StreamId<TAggregate>(id);
        var types = store.Options.Types.RegisterAggregate(typeof(TAggregate));
        var issues = new List<SnapshotIssue>();
        var target = await StreamTimelines.ResolveAsync(store, streamId, asOf, ct).ConfigureAwait(false);
        if (target <= 0)
        {
            return Done(new TAggregate(), id, null, 0, issues);
        }

        if (SnapshotShape.Of(typeof(TAggregate)) is { } shape && store.GetFeature<ISnapshotStore>() is { } snapshots)
        {
            var max = target;
            for (var tries = 0; tries < MaxCandidates && max >= 1; tries++)
            {
                var snapshot = await snapshots.ReadSnapshotAsync(streamId, max, ct).ConfigureAwait(false);
                if (snapshot is null)
                {
                    break;
                }

                var aggregate = new TAggregate();
                var problem = Restore(shape, snapshot, aggregate);
                if (problem is null)
                {
                    var replayed = await ReplayAsync(store, types, aggregate, streamId, snapshot, target, ct).ConfigureAwait(false);
                    if (replayed >= 0)
                    {
                        return Done(aggregate, id, snapshot.Version, replayed, issues);
                    }

                    problem = new SnapshotIssue(streamId, snapshot.Version, SnapshotIssueKind.Stale,
                        $"the stream no longer has the event at version {snapshot.Version}, position {snapshot.Position} the snapshot was taken at; rebuilt from events.");
                    Report(store, issues, problem);
                    break;
                }

                Report(store, issues, problem);
                max = snapshot.Version - 1;
            }
        }

        var fresh = new TAggregate();
        var count = await ReplayAsync(store, types, fresh, streamId, null, target, ct).ConfigureAwait(false);
        return Done(fresh, id, null, count, issues);
    }

    private static AggregateLoadResult<TAggregate> Done<TAggregate>(TAggregate aggregate, string id, long? snapshotVersion, long replayed, List<SnapshotIssue> issues)
        where TAggregate : Aggregate
    {
        aggregate.InitializeId(id);
        return new AggregateLoadResult<TAggregate>(aggregate, snapshotVersion, replayed, issues);
    }

    private static void Report(IEventStore store, List<SnapshotIssue> issues, SnapshotIssue issue)
    {
        issues.Add(issue);
        store.Options.Snapshots.Report(issue);
    }

    /// <summary>Decodes and restores; returns what was wrong instead of throwing.</summary>
    private static SnapshotIssue? Restore(SnapshotShape shape, StoredSnapshot s, Aggregate aggregate)
    {
        if (!string.Equals(s.AggregateType, shape.AggregateType, StringComparison.Ordinal))
        {
            return new SnapshotIssue(s.StreamId, s.Version, SnapshotIssueKind.AggregateTypeMismatch, $"it was written for aggregate '{s.AggregateType}', not '{shape.AggregateType}'; ignored.");
        }

        if (s.SchemaVersion != shape.SchemaVersion)
        {
            return new SnapshotIssue(s.StreamId, s.Version, SnapshotIssueKind.SchemaVersionMismatch, $"it has state schema version {s.SchemaVersion}, the aggregate now has {shape.SchemaVersion}; ignored.");
        }

        var checksum = SnapshotCodecs.Checksum(s.Data.Span);
        if (checksum != s.Checksum)
        {
            return new SnapshotIssue(s.StreamId, s.Version, SnapshotIssueKind.ChecksumMismatch, $"its {s.Data.Length} stored bytes do not match their checksum (stored {s.Checksum:X16}, computed {checksum:X16}); skipped as corrupt.");
        }

        try
        {
            shape.Restore(aggregate, SnapshotCodecs.Decode(s.Codec, s.Data.Span));
            aggregate.MarkCommitted(s.Version);
            return null;
        }
        catch (Exception ex) when (ex is InvalidDataException or JsonException or NotSupportedException)
        {
            return new SnapshotIssue(s.StreamId, s.Version, SnapshotIssueKind.Undecodable, $"it cannot be decoded ({ex.Message}); skipped as corrupt.", ex);
        }
    }

    /// <summary>
    /// Applies the events after <paramref name="snapshot"/> (or all) up to <paramref name="target"/>; returns how many,
    /// or -1 when the stream's event at the snapshot's version is not the one it was taken at.
    /// </summary>
    private static async ValueTask<long> ReplayAsync(IEventStore store, EventTypeRegistry types, Aggregate aggregate, string streamId, StoredSnapshot? snapshot, long target, CancellationToken ct)
    {
        // Read from the snapshot's own version: its event proves the stream is the one the snapshot saw.
        var from = snapshot?.Version ?? 1;
        var max = target == long.MaxValue ? int.MaxValue : (int)Math.Min(target - from + 1, int.MaxValue);
        long count = 0;
        var first = true;
        await foreach (var recorded in store.ReadStreamAsync(streamId, from, max, cancellationToken: ct).ConfigureAwait(false))
        {
            if (first && snapshot is not null)
            {
                first = false;
                if (recorded.StreamVersion != snapshot.Version || recorded.Position != snapshot.Position)
                {
                    return -1;
                }

                continue;
            }

            aggregate.Replay(types.Deserialize(recorded), recorded.StreamVersion);
            count++;
        }

        return first && snapshot is not null ? -1 : count;
    }
}
