namespace Eventuali.Snapshots;

/// <summary>A snapshot that was not used, or could not be written. Loads never fail because of one: they rebuild from events.</summary>
/// <param name="StreamId">The stream.</param>
/// <param name="Version">The snapshot's version.</param>
/// <param name="Kind">What was wrong.</param>
/// <param name="Message">A sentence saying what was wrong.</param>
/// <param name="Exception">The error behind it, if any.</param>
public sealed record SnapshotIssue(string StreamId, long Version, SnapshotIssueKind Kind, string Message, Exception? Exception = null)
{
    /// <summary>True for damage (checksum, undecodable data); false for expected cases such as an older state shape.</summary>
    public bool IsCorruption => Kind is SnapshotIssueKind.ChecksumMismatch or SnapshotIssueKind.Undecodable;
}

/// <summary>Why a snapshot was not used or not written.</summary>
public enum SnapshotIssueKind
{
    /// <summary>Written by another shape of the aggregate (its <see cref="SnapshotSchemaAttribute"/> differs): ignored.</summary>
    SchemaVersionMismatch = 0,

    /// <summary>Written for another aggregate type: ignored.</summary>
    AggregateTypeMismatch = 1,

    /// <summary>The stored bytes do not match their checksum: corrupt, skipped.</summary>
    ChecksumMismatch = 2,

    /// <summary>The bytes could not be decompressed or deserialized: corrupt, skipped.</summary>
    Undecodable = 3,

    /// <summary>The stream no longer has the event the snapshot was taken at (deleted and recreated, or truncated): ignored.</summary>
    Stale = 4,

    /// <summary>Taking or storing a snapshot failed; the events were saved.</summary>
    WriteFailed = 5,
}
