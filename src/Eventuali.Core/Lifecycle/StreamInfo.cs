namespace Eventuali.Lifecycle;

/// <summary>A stream's lifecycle state, including what the stream reads hide.</summary>
/// <param name="StreamId">The stream.</param>
/// <param name="Status">Live, soft-deleted, tombstoned, or none.</param>
/// <param name="Version">The last version written (also for a soft-deleted stream); null when there is none.</param>
/// <param name="TruncatedBefore">Events below this version were truncated or archived; 1 when nothing was.</param>
public readonly record struct StreamInfo(string StreamId, StreamStatus Status, long? Version, long TruncatedBefore);
