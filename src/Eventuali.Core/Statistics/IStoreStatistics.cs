namespace Eventuali.Statistics;

/// <summary>Counts and sizes of a whole store, computed by the database (never by reading every event into the client).</summary>
public interface IStoreStatistics
{
    /// <summary>Counts streams and events, the size on disk, and events per type and category.</summary>
    ValueTask<StoreStatistics> GetStatisticsAsync(CancellationToken cancellationToken = default);
}
