namespace Eventuali.Statistics;

/// <summary>
/// The global log's readable head next to the highest committed position, so a caller can tell "appends are
/// committing but readers cannot see them" (a stuck watermark) from "nothing is being appended". Found with
/// <c>store.GetFeature&lt;ILogWatermark&gt;()</c>; implemented by every built-in store.
/// </summary>
public interface ILogWatermark
{
    /// <summary>Reads both positions now, without waiting for this instance's own writes to become readable.</summary>
    ValueTask<LogWatermark> GetLogWatermarkAsync(CancellationToken cancellationToken = default);
}

/// <summary>Where the global log's readers and writers are.</summary>
/// <param name="ReadableHead">
/// The highest position a reader of the global log can see (<see cref="IEventStore.GetHeadPositionAsync"/>): nothing
/// will ever appear at or below it later.
/// </param>
/// <param name="CommittedHead">
/// The highest position of any committed event. Above <see cref="ReadableHead"/> only where a backend holds committed
/// events back until older transactions finish (PostgreSQL: a transaction left open anywhere in the cluster); equal
/// on SQLite and in memory, whose writers commit in position order.
/// </param>
public readonly record struct LogWatermark(long ReadableHead, long CommittedHead)
{
    /// <summary>Whether committed events wait above the readable head.</summary>
    public bool IsHeldBack => CommittedHead > ReadableHead;
}
