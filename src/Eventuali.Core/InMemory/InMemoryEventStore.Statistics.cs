using Eventuali.Statistics;

namespace Eventuali.InMemory;

public sealed partial class InMemoryEventStore : IStoreStatistics
{
    /// <inheritdoc />
    public ValueTask<StoreStatistics> GetStatisticsAsync(CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var types = new Dictionary<string, long>(StringComparer.Ordinal);
        var categories = new Dictionary<string, (long Streams, long Events)>(StringComparer.Ordinal);
        long streams = 0;
        long events = 0;
        lock (_gate)
        {
            foreach (var (streamId, stream) in _streams)
            {
                if (stream.Count == 0)
                {
                    continue;
                }

                streams++;
                events += stream.Count;
                var category = StreamCategories.Of(streamId);
                var (s, e) = categories.GetValueOrDefault(category);
                categories[category] = (s + 1, e + stream.Count);
                foreach (var recorded in stream)
                {
                    types[recorded.EventType] = types.GetValueOrDefault(recorded.EventType) + 1;
                }
            }
        }

        return ValueTask.FromResult(StreamCategories.Ordered(
            streams,
            events,
            null,
            types.Select(t => new EventTypeCount(t.Key, t.Value)),
            categories.Select(c => new CategoryCount(c.Key, c.Value.Streams, c.Value.Events))));
    }
}
