using Eventuali.Snapshots;
using Eventuali.Typed;

namespace Eventuali.Caching;

/// <summary>Fills the store's <see cref="EventStoreOptions.AggregateCache"/> ahead of the loads that will need it.</summary>
public static class AggregateCacheWarming
{
    /// <summary>
    /// Loads each of <paramref name="ids"/> (which puts it in the cache, or brings its entry up to date); returns how
    /// many exist. Fails when the store has no cache or <typeparamref name="TAggregate"/> is not snapshottable.
    /// </summary>
    public static async ValueTask<int> WarmAggregateCacheAsync<TAggregate>(this IEventStore store, IEnumerable<string> ids, CancellationToken cancellationToken = default)
        where TAggregate : Aggregate, new()
    {
        Check<TAggregate>(store);
        ArgumentNullException.ThrowIfNull(ids);
        var loaded = 0;
        foreach (var id in ids)
        {
            if (await store.LoadAsync<TAggregate>(id, cancellationToken).ConfigureAwait(false) is not null)
            {
                loaded++;
            }
        }

        return loaded;
    }

    /// <summary>
    /// Loads into the cache the <paramref name="count"/> aggregates of <typeparamref name="TAggregate"/> written most
    /// recently, found by reading the global log back from its head (at most <paramref name="maxEventsScanned"/> events);
    /// returns the ids loaded, most recent first.
    /// </summary>
    public static async ValueTask<IReadOnlyList<string>> WarmRecentAggregatesAsync<TAggregate>(this IEventStore store, int count, int maxEventsScanned = 100_000, CancellationToken cancellationToken = default)
        where TAggregate : Aggregate, new()
    {
        Check<TAggregate>(store);
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxEventsScanned, 1);
        var prefix = AggregateStreams.CategoryOf(typeof(TAggregate)) + "-";
        var filter = EventFilter.ForCategory(prefix);
        var ids = new List<string>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var to = await store.GetHeadPositionAsync(cancellationToken).ConfigureAwait(false);
        var floor = Math.Max(1, to - maxEventsScanned + 1);
        var window = store.Options.ReadPageSize;
        while (to >= floor && ids.Count < count)
        {
            var from = Math.Max(floor, to - window + 1);
            var page = new List<RecordedEvent>();
            await foreach (var e in store.ReadAllAsync(from, (int)(to - from + 1), filter, cancellationToken).ConfigureAwait(false))
            {
                if (e.Position > to)
                {
                    break;
                }

                page.Add(e);
            }

            for (var i = page.Count - 1; i >= 0 && ids.Count < count; i--)
            {
                if (seen.Add(page[i].StreamId))
                {
                    ids.Add(page[i].StreamId[prefix.Length..]);
                }
            }

            to = from - 1;
        }

        var loaded = new List<string>(ids.Count);
        foreach (var id in ids)
        {
            if (await store.LoadAsync<TAggregate>(id, cancellationToken).ConfigureAwait(false) is not null)
            {
                loaded.Add(id);
            }
        }

        return loaded;
    }

    private static void Check<TAggregate>(IEventStore store)
    {
        ArgumentNullException.ThrowIfNull(store);
        if (store.Options.AggregateCache is null)
        {
            throw new InvalidOperationException("The store has no aggregate cache to warm: set EventStoreOptions.AggregateCache.");
        }

        if (SnapshotShape.Of(typeof(TAggregate)) is null)
        {
            throw new ArgumentException($"{typeof(TAggregate).Name} does not implement ISnapshottable<TState>; only snapshottable aggregates are cached.", nameof(TAggregate));
        }
    }
}
