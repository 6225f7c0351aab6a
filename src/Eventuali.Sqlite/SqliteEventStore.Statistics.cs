using Eventuali.Statistics;
using SQLitePCL;

namespace Eventuali.Sqlite;

public sealed partial class SqliteEventStore : IStoreStatistics
{
    /// <inheritdoc />
    public ValueTask<StoreStatistics> GetStatisticsAsync(CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        var statistics = _readers.Run(
            s =>
            {
                long streams = 0, events = 0, pages = 0;
                var types = new List<EventTypeCount>();
                var categories = new List<CategoryCount>();

                // One read transaction, so the counts agree with each other.
                StatsSql.Query(s.Db, "begin", static _ => { });
                try
                {
                    StatsSql.Query(s.Db, "stats_totals", r => (streams, events) = (raw.sqlite3_column_int64(r, 0), raw.sqlite3_column_int64(r, 1)));
                    StatsSql.Query(s.Db, "stats_types", r => types.Add(new(raw.sqlite3_column_text(r, 0).utf8_to_string(), raw.sqlite3_column_int64(r, 1))));
                    StatsSql.Query(s.Db, "stats_categories", r => categories.Add(new(raw.sqlite3_column_text(r, 0).utf8_to_string(), raw.sqlite3_column_int64(r, 1), raw.sqlite3_column_int64(r, 2))));
                    StatsSql.Query(s.Db, "stats_size", r => pages = raw.sqlite3_column_int64(r, 0));
                }
                finally
                {
                    StatsSql.Query(s.Db, "end", static _ => { });
                }

                long? size = Location.FilePath is { } path ? pages + WalBytes(path) : null;
                return StreamCategories.Ordered(streams, events, size, types, categories);
            },
            cancellationToken);
        return ValueTask.FromResult(statistics);
    }

    private static long WalBytes(string path)
    {
        var wal = new FileInfo(path + "-wal");
        return wal.Exists ? wal.Length : 0;
    }
}
