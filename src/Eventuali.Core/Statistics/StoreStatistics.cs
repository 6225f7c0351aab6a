namespace Eventuali.Statistics;

/// <summary>What a store holds.</summary>
/// <param name="Streams">Streams with at least one event.</param>
/// <param name="Events">Events in the log.</param>
/// <param name="SizeOnDiskBytes">Bytes the store occupies (SQLite: database pages plus the WAL file; PostgreSQL: tables, indexes and TOAST of the schema); null when it lives in process memory.</param>
/// <param name="EventTypes">Events per stored type name, ordinal by name.</param>
/// <param name="Categories">Streams and events per category (<see cref="StreamCategories.Of"/>), ordinal by name.</param>
public sealed record StoreStatistics(
    long Streams,
    long Events,
    long? SizeOnDiskBytes,
    IReadOnlyList<EventTypeCount> EventTypes,
    IReadOnlyList<CategoryCount> Categories);

/// <summary>How many events of one type the store holds.</summary>
public readonly record struct EventTypeCount(string EventType, long Events);

/// <summary>How many streams and events one category holds.</summary>
public readonly record struct CategoryCount(string Category, long Streams, long Events);

/// <summary>Stream categories as the typed layer names streams: <c>{category}-{id}</c>.</summary>
public static class StreamCategories
{
    /// <summary>The part of <paramref name="streamId"/> before its first '-', or "" when it has none.</summary>
    public static string Of(string streamId)
    {
        ArgumentNullException.ThrowIfNull(streamId);
        var dash = streamId.IndexOf('-', StringComparison.Ordinal);
        return dash > 0 ? streamId[..dash] : string.Empty;
    }

    /// <summary>Sorts counts ordinally by name, so every backend reports them in one order.</summary>
    public static StoreStatistics Ordered(long streams, long events, long? size, IEnumerable<EventTypeCount> types, IEnumerable<CategoryCount> categories)
        => new(
            streams,
            events,
            size,
            [.. types.OrderBy(t => t.EventType, StringComparer.Ordinal)],
            [.. categories.OrderBy(c => c.Category, StringComparer.Ordinal)]);
}
