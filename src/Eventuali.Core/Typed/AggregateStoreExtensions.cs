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
        var result = await store.AppendAsync(streamId, ExpectedVersion.Exact(aggregate.Version), events, cancellationToken).ConfigureAwait(false);
        aggregate.MarkCommitted(result.StreamVersion);
        return result;
    }

    /// <summary>Loads an aggregate by replaying its stream. Returns null when no stream exists for <paramref name="id"/>.</summary>
    public static async ValueTask<TAggregate?> LoadAsync<TAggregate>(this IEventStore store, string id, CancellationToken cancellationToken = default)
        where TAggregate : Aggregate, new()
    {
        var aggregate = await LoadOrCreateAsync<TAggregate>(store, id, cancellationToken).ConfigureAwait(false);
        return aggregate.Version == 0 ? null : aggregate;
    }

    /// <summary>Loads an aggregate, or returns a new one (version 0, <see cref="Aggregate.Id"/> set) when it has no stream yet.</summary>
    public static async ValueTask<TAggregate> LoadOrCreateAsync<TAggregate>(this IEventStore store, string id, CancellationToken cancellationToken = default)
        where TAggregate : Aggregate, new()
    {
        ArgumentNullException.ThrowIfNull(store);
        var streamId = AggregateStreams.StreamId<TAggregate>(id);
        var aggregate = new TAggregate();
        var types = store.Options.Types.RegisterAggregate(typeof(TAggregate));
        await foreach (var recorded in store.ReadStreamAsync(streamId, cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            aggregate.Replay(types.Deserialize(recorded), recorded.StreamVersion);
        }

        aggregate.InitializeId(id);
        return aggregate;
    }
}
