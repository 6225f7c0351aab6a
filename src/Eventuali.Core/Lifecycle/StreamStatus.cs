namespace Eventuali.Lifecycle;

/// <summary>Where a stream is in its lifecycle.</summary>
public enum StreamStatus
{
    /// <summary>No such stream (never written, or hard-deleted without a tombstone).</summary>
    None = 0,

    /// <summary>Readable and writable.</summary>
    Live = 1,

    /// <summary>Soft-deleted: hidden from stream reads, appends refused, restorable.</summary>
    SoftDeleted = 2,

    /// <summary>Hard-deleted with a tombstone: events gone, appends refused forever.</summary>
    Tombstoned = 3,
}
