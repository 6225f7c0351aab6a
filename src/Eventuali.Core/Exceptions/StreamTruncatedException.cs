using System.Globalization;

namespace Eventuali;

/// <summary>
/// An aggregate cannot be loaded at the version asked for because the stream was truncated and no snapshot
/// covers the removed events (a snapshot at version ≥ truncated-before − 1, at or below the version asked for).
/// Nothing is returned rather than a state built from part of the stream.
/// </summary>
public sealed class StreamTruncatedException : EventualiException
{
    /// <summary>Creates the error for <paramref name="streamId"/>.</summary>
    /// <param name="streamId">The aggregate's stream.</param>
    /// <param name="truncatedBefore">Events below this version are gone.</param>
    /// <param name="newestSnapshotVersion">The newest snapshot found at or below <paramref name="version"/>, or null when there was none.</param>
    /// <param name="version">The version the load asked for.</param>
    public StreamTruncatedException(string streamId, long truncatedBefore, long? newestSnapshotVersion, long version)
        : base(string.Create(CultureInfo.InvariantCulture,
            $"Stream '{streamId}' was truncated before version {truncatedBefore} and {(newestSnapshotVersion is { } s ? $"its newest usable snapshot is at version {s}" : "it has no usable snapshot")} at or below version {version}; loading needs a snapshot at version {truncatedBefore - 1} or later (the removed events cannot be replayed)."))
    {
        StreamId = streamId;
        TruncatedBefore = truncatedBefore;
        NewestSnapshotVersion = newestSnapshotVersion;
        Version = version;
    }

    /// <summary>The aggregate's stream.</summary>
    public string StreamId { get; }

    /// <summary>Events with a version below this were removed.</summary>
    public long TruncatedBefore { get; }

    /// <summary>The newest snapshot found at or below <see cref="Version"/>, or null when there was none.</summary>
    public long? NewestSnapshotVersion { get; }

    /// <summary>The version the load asked for.</summary>
    public long Version { get; }
}
