using System.Text.Json;
using Eventuali.Caching;
using Eventuali.Typed;

namespace Eventuali.Snapshots;

/// <summary>
/// The aggregate cache's part of a load: an entry is used only after the same checks as a snapshot (type, shape,
/// checksum, and the event at its version still at its position), then the events after it are replayed; the newer
/// state is written back. Cache failures are counted and turn into a direct read, never into an error or a wrong state.
/// </summary>
internal static class CachedLoads
{
    /// <summary>The cache a load of <paramref name="aggregateType"/> uses, or null (no cache, not snapshottable, not a latest load).</summary>
    public static IAggregateCache? For(IEventStore store, Type aggregateType, AsOf asOf)
        => asOf.Kind == AsOfKind.Latest && store.Options.AggregateCache is { } cache && SnapshotShape.Of(aggregateType) is not null ? cache : null;

    /// <summary>
    /// The aggregate built from the stream's cache entry and the events after it, or null for a miss. The stream's last
    /// event is read while the cache answers: when the entry is at that event (same version and position), that one
    /// read is the whole load.
    /// </summary>
    public static async ValueTask<(TAggregate Aggregate, long CachedVersion, long Replayed)?> TryLoadAsync<TAggregate>(
        IEventStore store, IAggregateCache cache, EventTypeRegistry types, string streamId, CancellationToken ct)
        where TAggregate : Aggregate, new()
    {
        var stats = cache.Statistics;
        var pending = GetAsync(cache, streamId, ct);
        RecordedEvent? last = null;
        await foreach (var e in store.ReadStreamAsync(streamId, StreamVersion.End, 1, ReadDirection.Backward, ct).ConfigureAwait(false))
        {
            last = e;
        }

        var entry = await pending.ConfigureAwait(false);
        if (entry is null || !string.Equals(entry.StreamId, streamId, StringComparison.Ordinal))
        {
            stats.Record(CacheOutcome.Miss);
            return null;
        }

        // No event to check the entry against (deleted, or truncated to nothing): the load goes the usual way.
        if (last is null)
        {
            return await InvalidAsync<TAggregate>(cache, streamId, ct).ConfigureAwait(false);
        }

        var version = last.StreamVersion;
        if (entry.Version > version)
        {
            // Written after the read above, or left from a longer stream since deleted: ask again.
            version = await store.GetStreamVersionAsync(streamId, ct).ConfigureAwait(false) ?? 0;
        }

        var shape = SnapshotShape.Of(typeof(TAggregate))!;
        var aggregate = new TAggregate();
        if (entry.Version > version || entry.Version < 1 || !Restore(shape, entry, aggregate))
        {
            return await InvalidAsync<TAggregate>(cache, streamId, ct).ConfigureAwait(false);
        }

        if (entry.Version == last.StreamVersion)
        {
            if (entry.Position != last.Position)
            {
                return await InvalidAsync<TAggregate>(cache, streamId, ct).ConfigureAwait(false);
            }

            stats.Record(CacheOutcome.Hit);
            return (aggregate, entry.Version, 0);
        }

        var tail = new ReplayTail(entry.Position);
        var proof = new StoredSnapshot(streamId, entry.Version, entry.Position, shape.AggregateType, shape.SchemaVersion, SnapshotCodec.None, 0, ReadOnlyMemory<byte>.Empty, default);
        var replayed = await AggregateLoader.ReplayAsync(store, types, aggregate, streamId, proof, version, tail, ct).ConfigureAwait(false);
        if (replayed < 0)
        {
            // Not the stream the entry was taken of (or events it needs were truncated): a miss, never a wrong state.
            return await InvalidAsync<TAggregate>(cache, streamId, ct).ConfigureAwait(false);
        }

        stats.Record(replayed == 0 ? CacheOutcome.Hit : CacheOutcome.Behind);
        if (replayed > 0)
        {
            await WriteAsync(cache, aggregate, streamId, version, tail.Position, ct).ConfigureAwait(false);
        }

        return (aggregate, entry.Version, replayed);
    }

    private static async Task<CachedAggregate?> GetAsync(IAggregateCache cache, string streamId, CancellationToken ct)
    {
        try
        {
            return await cache.GetAsync(streamId, ct).ConfigureAwait(false);
        }
        catch (Exception ex) when (!IsCancellation(ex, ct))
        {
            cache.Statistics.RecordError("get");
            return null;
        }
    }

    /// <summary>Stores <paramref name="aggregate"/> (at <paramref name="version"/>, whose event is at <paramref name="position"/>). Never throws but for cancellation.</summary>
    public static async ValueTask WriteAsync(IAggregateCache cache, Aggregate aggregate, string streamId, long version, long position, CancellationToken ct)
    {
        try
        {
            var shape = SnapshotShape.Of(aggregate.GetType())!;
            var state = shape.Capture(aggregate);
            var entry = new CachedAggregate(streamId, version, position, TypeName(aggregate.GetType()), shape.SchemaVersion, SnapshotCodecs.Checksum(state), state);
            await cache.SetAsync(entry, ct).ConfigureAwait(false);
        }
        catch (Exception ex) when (!IsCancellation(ex, ct))
        {
            cache.Statistics.RecordError("set");
        }
    }

    /// <summary>After a save: the saved aggregate is the stream's state at the append's version, so the cache gets it.</summary>
    public static ValueTask AfterSaveAsync(IEventStore store, Aggregate aggregate, AppendResult result)
    {
        if (store.Options.AggregateCache is not { } cache || SnapshotShape.Of(aggregate.GetType()) is null || result.StreamVersion < 1)
        {
            return ValueTask.CompletedTask;
        }

        // The events are committed: like a snapshot, the cache write must not make the save look failed, not even when cancelled
        // (the cache bounds its own time).
        return WriteAsync(cache, aggregate, AggregateStreams.StreamId(aggregate.GetType(), aggregate.Id), result.StreamVersion, result.LastPosition, CancellationToken.None);
    }

    private static async ValueTask<(TAggregate, long, long)?> InvalidAsync<TAggregate>(IAggregateCache cache, string streamId, CancellationToken ct)
    {
        cache.Statistics.Record(CacheOutcome.Invalid);
        try
        {
            await cache.RemoveAsync(streamId, ct).ConfigureAwait(false);
        }
        catch (Exception ex) when (!IsCancellation(ex, ct))
        {
            cache.Statistics.RecordError("remove");
        }

        return null;
    }

    private static bool Restore(SnapshotShape shape, CachedAggregate entry, Aggregate aggregate)
    {
        if (!string.Equals(entry.AggregateType, TypeName(aggregate.GetType()), StringComparison.Ordinal)
            || entry.SchemaVersion != shape.SchemaVersion
            || SnapshotCodecs.Checksum(entry.State.Span) != entry.Checksum)
        {
            return false;
        }

        try
        {
            shape.Restore(aggregate, entry.State.ToArray());
            aggregate.MarkCommitted(entry.Version);
            return true;
        }
        catch (Exception ex) when (ex is JsonException or NotSupportedException or InvalidOperationException)
        {
            return false;
        }
    }

    private static string TypeName(Type type) => type.FullName ?? type.Name;

    private static bool IsCancellation(Exception ex, CancellationToken ct) => ex is OperationCanceledException && ct.IsCancellationRequested;
}

/// <summary>The global position of the last event a replay read (or its starting point's).</summary>
internal sealed class ReplayTail(long position)
{
    public long Position { get; set; } = position;
}
