namespace Eventuali;

/// <summary>
/// The stream was deleted: soft-deleted (restore it first) or hard-deleted with a tombstone (its name can
/// never be used again). Nothing was written.
/// </summary>
public sealed class StreamDeletedException : EventualiException
{
    /// <summary>Creates the exception for <paramref name="streamId"/>; <paramref name="isTombstoned"/> is true for a hard delete.</summary>
    public StreamDeletedException(string streamId, bool isTombstoned)
        : base(isTombstoned
            ? $"Stream '{streamId}' was hard-deleted with a tombstone; its name cannot be written to again."
            : $"Stream '{streamId}' is soft-deleted; restore it (RestoreStreamAsync, or 'eventuali stream restore') before writing to it, or hard-delete it to reuse the name.")
    {
        StreamId = streamId;
        IsTombstoned = isTombstoned;
    }

    /// <summary>The deleted stream.</summary>
    public string StreamId { get; }

    /// <summary>True for a tombstone (permanent); false for a soft delete (restorable).</summary>
    public bool IsTombstoned { get; }
}
