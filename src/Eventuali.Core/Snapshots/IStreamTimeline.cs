namespace Eventuali.Snapshots;

/// <summary>
/// Finds a stream version from a point in time or in the global log without reading the events
/// (time travel). Stores answer from their indexes; other <see cref="IEventStore"/> implementations
/// are scanned instead.
/// </summary>
public interface IStreamTimeline
{
    /// <summary>The highest version of the stream stamped at or before <paramref name="time"/>; 0 when none (or no stream).</summary>
    ValueTask<long> GetVersionAtTimeAsync(string streamId, DateTimeOffset time, CancellationToken cancellationToken = default);

    /// <summary>The highest version of the stream at a global position at or below <paramref name="position"/>; 0 when none.</summary>
    ValueTask<long> GetVersionAtPositionAsync(string streamId, long position, CancellationToken cancellationToken = default);
}
