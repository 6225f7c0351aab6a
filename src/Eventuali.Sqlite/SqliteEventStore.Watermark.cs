using Eventuali.Statistics;

namespace Eventuali.Sqlite;

public sealed partial class SqliteEventStore : ILogWatermark
{
    /// <inheritdoc />
    /// <remarks>One writer commits in position order, so every committed event is readable: both positions are the head.</remarks>
    public async ValueTask<LogWatermark> GetLogWatermarkAsync(CancellationToken cancellationToken = default)
    {
        var head = await GetHeadPositionAsync(cancellationToken).ConfigureAwait(false);
        return new LogWatermark(head, head);
    }
}
