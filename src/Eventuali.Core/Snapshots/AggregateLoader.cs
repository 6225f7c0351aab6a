using System.Text.Json;
using Eventuali.Diagnostics;
using Eventuali.Lifecycle;
using Eventuali.Typed;

namespace Eventuali.Snapshots;

/// <summary>
/// Loads an aggregate as the latest valid snapshot at or below the point asked for plus the events after it,
/// or by replaying every event when no snapshot is usable. A snapshot is used only when it decodes, matches
/// its checksum, the aggregate's type and state shape, and belongs to the stream as it is now (its event, or,
/// when truncation removed it, the next one, agrees with its position). Archived events are read back; a gap
/// left by truncation that no snapshot covers is a <see cref="StreamTruncatedException"/>, never a partial replay.
/// </summary>
internal static class AggregateLoader
{
    // Older snapshots are tried after a skipped one, up to this many, before replaying everything.
    private const int MaxCandidates = 8;

    private const long Stale = -1;
    private const long Gap = -2;

    public static async ValueTask<AggregateLoadResult<TAggregate>> LoadAsync<TAggregate>(IEventStore store, string id, AsOf asOf, CancellationToken ct)
        where TAggregate : Aggregate, new()
    {
        ArgumentNullException.ThrowIfNull(store);
        using var span = Telemetry.StartInternal(EventualiOperations.LoadAggregate, AggregateStreams.CategoryOf(typeof(TAggregate)));
        try
        {
            var result = await LoadCoreAsync<TAggregate>(store, id, asOf, ct).ConfigureAwait(false);
            span?.SetTag(EventualiAttributes.SnapshotHit, result.SnapshotVersion is not null);
            return result;
        }
        catch (Exception ex)
        {
            ConsumerTelemetry.Fail(span, ex);
            throw;
        }
    }

    private static async ValueTask<AggregateLoadResult<TAggregate>> LoadCoreAsync<TAggregate>(IEventStore store, string id, AsOf asOf, CancellationToken ct)
        where TAggregate : Aggregate, new()
    {
        var streamId = AggregateStreams.StreamId<TAggregate>(id);
        var types = store.Options.Types.RegisterAggregate(typeof(TAggregate));
        var issues = new List<SnapshotIssue>();
        var cache = CachedLoads.For(store, typeof(TAggregate), asOf);
        if (cache is not null && await CachedLoads.TryLoadAsync<TAggregate>(store, cache, types, streamId, ct).ConfigureAwait(false) is { } cached)
        {
            return Done(cached.Aggregate, id, null, cached.Replayed, issues) with { CachedVersion = cached.CachedVersion };
        }

        if (LatestReplay.Applies(store, typeof(TAggregate), asOf))
        {
            var whole = new TAggregate();
            var end = new ReplayTail(0);
            var replayed = await LatestReplay.TryReplayAsync(store, types, whole, streamId, end, ct).ConfigureAwait(false);
            if (replayed > 0)
            {
                if (cache is not null)
                {
                    await CachedLoads.WriteAsync(cache, whole, streamId, replayed, end.Position, ct).ConfigureAwait(false);
                }

                return Done(whole, id, null, replayed, issues);
            }
        }

        var version = await store.GetStreamVersionAsync(streamId, ct).ConfigureAwait(false) ?? 0;
        var target = Math.Min(version, await StreamTimelines.ResolveAsync(store, streamId, asOf, ct).ConfigureAwait(false));
        if (target <= 0)
        {
            return Done(new TAggregate(), id, null, 0, issues);
        }

        long? newestSnapshot = null;
        if (SnapshotShape.Of(typeof(TAggregate)) is { } shape && store.GetFeature<ISnapshotStore>() is { } snapshots)
        {
            var max = target;
            for (var tries = 0; tries < MaxCandidates && max >= 1; tries++)
            {
                StoredSnapshot? snapshot;
                using (Telemetry.StartInternal(EventualiOperations.LoadSnapshot, shape.AggregateType))
                {
                    snapshot = await snapshots.ReadSnapshotAsync(streamId, max, ct).ConfigureAwait(false);
                }

                if (snapshot is null)
                {
                    break;
                }

                max = snapshot.Version - 1;
                var aggregate = new TAggregate();
                var problem = Restore(shape, snapshot, aggregate);
                if (problem is null)
                {
                    newestSnapshot ??= snapshot.Version;
                    var tail = new ReplayTail(snapshot.Position);
                    var replayed = await ReplayAsync(store, types, aggregate, streamId, snapshot, target, tail, ct).ConfigureAwait(false);
                    if (replayed >= 0)
                    {
                        CountSnapshotLoad(hit: true);
                        if (cache is not null)
                        {
                            await CachedLoads.WriteAsync(cache, aggregate, streamId, target, tail.Position, ct).ConfigureAwait(false);
                        }

                        return Done(aggregate, id, snapshot.Version, replayed, issues);
                    }

                    if (replayed == Gap)
                    {
                        // Older snapshots need even more of the removed events.
                        throw await TruncatedAsync(store, streamId, newestSnapshot, target, ct).ConfigureAwait(false);
                    }

                    problem = new SnapshotIssue(streamId, snapshot.Version, SnapshotIssueKind.Stale,
                        $"the stream's event at version {snapshot.Version} is not the one at position {snapshot.Position} the snapshot was taken at; skipped.");
                }

                Report(store, issues, problem);
            }
        }

        if (SnapshotShape.Of(typeof(TAggregate)) is not null && store.GetFeature<ISnapshotStore>() is not null)
        {
            CountSnapshotLoad(hit: false);
        }

        var fresh = new TAggregate();
        var last = new ReplayTail(0);
        var count = await ReplayAsync(store, types, fresh, streamId, null, target, last, ct).ConfigureAwait(false);
        if (count < 0)
        {
            throw await TruncatedAsync(store, streamId, newestSnapshot, target, ct).ConfigureAwait(false);
        }

        if (cache is not null && count > 0)
        {
            await CachedLoads.WriteAsync(cache, fresh, streamId, target, last.Position, ct).ConfigureAwait(false);
        }

        return Done(fresh, id, null, count, issues);
    }

    private static void CountSnapshotLoad(bool hit)
    {
        if (Telemetry.SnapshotLoads.Enabled)
        {
            Telemetry.SnapshotLoads.Add(1, new KeyValuePair<string, object?>(EventualiAttributes.SnapshotHit, hit ? "true" : "false"));
        }
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

    private static async ValueTask<StreamTruncatedException> TruncatedAsync(IEventStore store, string streamId, long? newestSnapshot, long target, CancellationToken ct)
    {
        long before = 0;
        if (store.GetFeature<IStreamLifecycle>() is { } life)
        {
            before = (await life.GetStreamInfoAsync(streamId, ct).ConfigureAwait(false)).TruncatedBefore;
        }
        else
        {
            // Without lifecycle information the first event still stored marks the truncation point.
            await foreach (var e in store.ReadStreamAsync(streamId, 1, 1, cancellationToken: ct).ConfigureAwait(false))
            {
                before = e.StreamVersion;
            }
        }

        return new StreamTruncatedException(streamId, before > 1 ? before : target + 1, newestSnapshot, target);
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
    /// Applies the events after <paramref name="snapshot"/> (or all) up to <paramref name="target"/>, which the stream's
    /// version bounds; returns how many, <see cref="Stale"/> when the stream is not the one the snapshot was taken of,
    /// or <see cref="Gap"/> when events the load needs were truncated. <paramref name="tail"/> gets the position of the last event applied.
    /// </summary>
    internal static async ValueTask<long> ReplayAsync(IEventStore store, EventTypeRegistry types, Aggregate aggregate, string streamId, StoredSnapshot? snapshot, long target, ReplayTail tail, CancellationToken ct)
    {
        // Read from the snapshot's own version: its event proves the stream is the one the snapshot saw.
        var from = snapshot?.Version ?? 1;
        var next = from;
        long count = 0;
        await foreach (var recorded in StreamHistory.ReadAsync(store, streamId, from, target, ct).ConfigureAwait(false))
        {
            if (recorded.StreamVersion > target)
            {
                break;
            }

            if (snapshot is not null && next == from)
            {
                if (recorded.StreamVersion == snapshot.Version)
                {
                    if (recorded.Position != snapshot.Position)
                    {
                        return Stale;
                    }

                    next++;
                    continue;
                }

                // Truncation removed the snapshot's own event: the next one must follow it in the log.
                if (recorded.Position <= snapshot.Position)
                {
                    return Stale;
                }

                next++;
            }

            if (recorded.StreamVersion != next)
            {
                return Gap;
            }

            aggregate.Replay(types.Deserialize(recorded), recorded.StreamVersion);
            tail.Position = recorded.Position;
            next++;
            count++;
        }

        // The stream's version says events up to the target exist (or existed); a missing tail was truncated.
        return next - 1 >= target || (snapshot is not null && snapshot.Version == target) ? count : Gap;
    }
}
