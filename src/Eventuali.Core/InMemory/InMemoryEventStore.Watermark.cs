using Eventuali.Statistics;

namespace Eventuali.InMemory;

public sealed partial class InMemoryEventStore : ILogWatermark
{
    /// <inheritdoc />
    /// <remarks>Appends are readable the moment they commit: both positions are the head.</remarks>
    public async ValueTask<LogWatermark> GetLogWatermarkAsync(CancellationToken cancellationToken = default)
    {
        var head = await GetHeadPositionAsync(cancellationToken).ConfigureAwait(false);
        return new LogWatermark(head, head);
    }
}
