using Eventuali.Diagnostics;
using Eventuali.Snapshots;

namespace Eventuali.Typed;

/// <summary>Saving and loading aggregates on any <see cref="IEventStore"/>.</summary>
public static class AggregateStoreExtensions
{
    /// <summary>
    /// Appends the aggregate's uncommitted events, expecting the stream to be at the version the
    /// aggregate was loaded at (a new aggregate expects no stream). A concurrent change throws
    /// <see cref="ConcurrencyException"/> and leaves the aggregate's pending events in place.
    /// Saving with nothing pending returns the current version and writes nothing.
    /// </summary>
    public static async ValueTask<AppendResult> SaveAsync(this IEventStore store, Aggregate aggregate, EventMetadata? metadata = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(aggregate);
        if (string.IsNullOrWhiteSpace(aggregate.Id))
        {
            throw new InvalidOperationException($"{aggregate.GetType().Name} has no Id; set Id (usually in the Apply of its first event) before saving.");
        }

        var pending = aggregate.Pending;
        if (pending.Count == 0)
        {
            return new AppendResult(aggregate.Version, 0);
        }

        var types = store.Options.Types;
        var events = new EventData[pending.Count];
        for (var i = 0; i < events.Length; i++)
        {
            events[i] = types.ToEventData(pending[i].Event, metadata, pending[i].EventId);
        }

        var streamId = AggregateStreams.StreamId(aggregate.GetType(), aggregate.Id);
        var previousVersion = aggregate.Version;
        using var span = Telemetry.StartInternal(EventualiOperations.SaveAggregate, AggregateStreams.CategoryOf(aggregate.GetType()));
        try
        {
            var result = await store.AppendAsync(streamId, ExpectedVersion.Exact(previousVersion), events, cancellationToken).ConfigureAwait(false);
            aggregate.MarkCommitted(result.StreamVersion);
            await SnapshotTaker.AfterSaveAsync(store, aggregate, previousVersion, result, cancellationToken).ConfigureAwait(false);
            await CachedLoads.AfterSaveAsync(store, aggregate, result).ConfigureAwait(false);
            return result;
        }
        catch (Exception ex)
        {
            ConsumerTelemetry.Fail(span, ex);
            throw;
        }
    }

    /// <summary>
    /// Loads an aggregate: its newest valid snapshot (if it has any) plus the events after it, else a replay of its
    /// whole stream. Returns null when no stream exists for <paramref name="id"/>.
    /// </summary>
    public static async ValueTask<TAggregate?> LoadAsync<TAggregate>(this IEventStore store, string id, CancellationToken cancellationToken = default)
        where TAggregate : Aggregate, new()
    {
        var aggregate = await LoadOrCreateAsync<TAggregate>(store, id, cancellationToken).ConfigureAwait(false);
        return aggregate.Version == 0 ? null : aggregate;
    }

    /// <summary>Loads an aggregate, or returns a new one (version 0, <see cref="Aggregate.Id"/> set) when it has no stream yet.</summary>
    public static async ValueTask<TAggregate> LoadOrCreateAsync<TAggregate>(this IEventStore store, string id, CancellationToken cancellationToken = default)
        where TAggregate : Aggregate, new()
        => (await AggregateLoader.LoadAsync<TAggregate>(store, id, AsOf.Latest, cancellationToken).ConfigureAwait(false)).Aggregate;
}
