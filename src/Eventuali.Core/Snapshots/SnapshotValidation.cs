using Eventuali.Snapshots;

namespace Eventuali.Extensibility;

/// <summary>Argument checks every snapshot store applies before touching storage.</summary>
public static class SnapshotValidation
{
    /// <summary>Throws when a snapshot about to be stored is not valid (stream id, version, type, codec, payload).</summary>
    public static void Validate(StoredSnapshot snapshot)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        AppendValidation.ValidateStreamId(snapshot.StreamId);
        if (snapshot.Version < 1)
        {
            throw new ArgumentException($"A snapshot of stream '{snapshot.StreamId}' must be at version 1 or later; got {snapshot.Version}.", nameof(snapshot));
        }

        if (snapshot.Position < 1)
        {
            throw new ArgumentException($"The snapshot of stream '{snapshot.StreamId}' at version {snapshot.Version} has position {snapshot.Position}; positions start at 1.", nameof(snapshot));
        }

        if (string.IsNullOrWhiteSpace(snapshot.AggregateType))
        {
            throw new ArgumentException($"The snapshot of stream '{snapshot.StreamId}' at version {snapshot.Version} has no aggregate type.", nameof(snapshot));
        }

        if (snapshot.SchemaVersion < 1)
        {
            throw new ArgumentException($"The snapshot of stream '{snapshot.StreamId}' at version {snapshot.Version} has schema version {snapshot.SchemaVersion}; it must be at least 1.", nameof(snapshot));
        }

        if (!Enum.IsDefined(snapshot.Codec))
        {
            throw new ArgumentException($"The snapshot of stream '{snapshot.StreamId}' at version {snapshot.Version} has unknown codec {(int)snapshot.Codec}.", nameof(snapshot));
        }
    }

    /// <summary>Throws when the number of snapshots to keep is below one.</summary>
    public static void ValidateKeep(int keep)
    {
        if (keep < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(keep), keep, "The number of snapshots to keep must be 0 or more.");
        }
    }
}
