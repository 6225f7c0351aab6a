using Eventuali.Statistics;

namespace Eventuali.PostgreSql;

public sealed partial class PostgreSqlEventStore : ILogWatermark
{
    /// <inheritdoc />
    /// <remarks>
    /// One statement, one snapshot: the readable head (below the snapshot's xmin, as readers see it) and the highest
    /// committed position. Unlike <see cref="GetHeadPositionAsync"/> it does not wait for this instance's own writes,
    /// so a held-back log is reported rather than waited out.
    /// </remarks>
    public async ValueTask<LogWatermark> GetLogWatermarkAsync(CancellationToken cancellationToken = default)
    {
        var watermark = default(LogWatermark);
        await ReadRowsAsync(_sql["log_watermark"], r => watermark = new LogWatermark(r.GetInt64(0), r.GetInt64(1)), cancellationToken).ConfigureAwait(false);
        return watermark;
    }
}
