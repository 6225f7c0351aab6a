using Eventuali.Typed;

namespace Eventuali.Snapshots;

/// <summary>Snapshots by hand, loads as of a point in history, and time-range reads, on any <see cref="IEventStore"/>.</summary>
public static class SnapshotExtensions
{
    /// <summary>
    /// Loads the aggregate as it was at <paramref name="asOf"/>: the newest valid snapshot at or before that point
    /// plus the events after it, up to the point. Returns null when the stream had no event by then.
    /// </summary>
    public static async ValueTask<TAggregate?> LoadAsOfAsync<TAggregate>(this IEventStore store, string id, AsOf asOf, CancellationToken cancellationToken = default)
        where TAggregate : Aggregate, new()
    {
        var result = await AggregateLoader.LoadAsync<TAggregate>(store, id, asOf, cancellationToken).ConfigureAwait(false);
        return result.Exists ? result.Aggregate : null;
    }

    /// <summary>As <see cref="LoadAsOfAsync"/>, with which snapshot was used, how many events were replayed and which snapshots were skipped.</summary>
    public static ValueTask<AggregateLoadResult<TAggregate>> LoadWithReportAsync<TAggregate>(this IEventStore store, string id, AsOf asOf = default, CancellationToken cancellationToken = default)
        where TAggregate : Aggregate, new()
        => AggregateLoader.LoadAsync<TAggregate>(store, id, asOf, cancellationToken);

    /// <summary>
    /// Stores a snapshot of a saved aggregate (no pending events) at its current version, whatever its policy.
    /// The aggregate must implement <see cref="ISnapshottable{TState}"/>.
    /// </summary>
    public static async ValueTask<SnapshotInfo> TakeSnapshotAsync(this IEventStore store, Aggregate aggregate, SnapshotCodec? codec = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(aggregate);
        var type = aggregate.GetType();
        var shape = SnapshotShape.Of(type) ?? throw new ArgumentException($"{type.Name} does not implement ISnapshottable<TState>; it cannot be snapshotted.", nameof(aggregate));
        var snapshots = AsSnapshotStore(store);
        if (aggregate.Version < 1 || aggregate.Pending.Count > 0)
        {
            throw new InvalidOperationException($"{type.Name} '{aggregate.Id}' has {(aggregate.Version < 1 ? "never been saved" : "unsaved events")}; save it before taking a snapshot.");
        }

        var streamId = AggregateStreams.StreamId(type, aggregate.Id);
        RecordedEvent? at = null;
        await foreach (var e in store.ReadStreamAsync(streamId, aggregate.Version, 1, cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            at = e;
        }

        if (at is null || at.StreamVersion != aggregate.Version)
        {
            throw new InvalidOperationException($"Stream '{streamId}' has no event at version {aggregate.Version}; the aggregate is not the stored one.");
        }

        var policyCodec = store.Options.Snapshots.PolicyFor(type)?.Codec ?? SnapshotCodec.None;
        var snapshot = SnapshotTaker.Build(store, shape, streamId, at.StreamVersion, at.Position, shape.Capture(aggregate), codec ?? policyCodec);
        await snapshots.WriteSnapshotAsync(snapshot, cancellationToken).ConfigureAwait(false);
        return snapshot.ToInfo();
    }

    /// <summary>Completes when every background snapshot taken so far on this store is written (or reported failed).</summary>
    public static Task FlushSnapshotsAsync(this IEventStore store, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(store);
        return BackgroundSnapshots.FlushAsync(store, cancellationToken);
    }

    /// <summary>The events of a stream stamped at or after <paramref name="from"/> and before <paramref name="to"/>, in version order.</summary>
    public static IAsyncEnumerable<RecordedEvent> ReadStreamBetweenAsync(this IEventStore store, string streamId, DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(store);
        AppendValidation.ValidateStreamId(streamId);
        if (to < from)
        {
            throw new ArgumentException($"The time range of stream '{streamId}' ends ({to:O}) before it starts ({from:O}).", nameof(to));
        }

        return StreamTimelines.ReadBetweenAsync(store, streamId, from, to, cancellationToken);
    }

    /// <summary>The stream version a point in history corresponds to (0: before the first event).</summary>
    public static async ValueTask<long> GetVersionAtAsync(this IEventStore store, string streamId, AsOf asOf, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(store);
        AppendValidation.ValidateStreamId(streamId);
        var version = await StreamTimelines.ResolveAsync(store, streamId, asOf, cancellationToken).ConfigureAwait(false);
        if (version == long.MaxValue || asOf.Kind == AsOfKind.Version)
        {
            var current = await store.GetStreamVersionAsync(streamId, cancellationToken).ConfigureAwait(false) ?? 0;
            return Math.Min(current, version);
        }

        return version;
    }

    private static ISnapshotStore AsSnapshotStore(IEventStore store) => store.GetFeature<ISnapshotStore>()
        ?? throw new NotSupportedException($"{store.GetType().Name} does not store snapshots (it does not implement ISnapshotStore).");
}
