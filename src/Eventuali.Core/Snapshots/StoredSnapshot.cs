namespace Eventuali.Snapshots;

/// <summary>A snapshot as stored: the aggregate's state after <paramref name="Version"/> events of its stream.</summary>
/// <param name="StreamId">The aggregate's stream.</param>
/// <param name="Version">The stream version the state includes (every event up to and including it).</param>
/// <param name="Position">The global position of the event at <paramref name="Version"/>; a load checks it against the stream, so a snapshot of a stream since deleted and recreated is never used.</param>
/// <param name="AggregateType">The aggregate's name (its stream category).</param>
/// <param name="SchemaVersion">The shape of the state; a snapshot of another shape is ignored.</param>
/// <param name="Codec">How <paramref name="Data"/> is compressed.</param>
/// <param name="Checksum">XxHash64 of <paramref name="Data"/> as stored.</param>
/// <param name="Data">The stored (compressed) bytes.</param>
/// <param name="CreatedAt">When the snapshot was taken (the store's clock).</param>
public sealed record StoredSnapshot(
    string StreamId,
    long Version,
    long Position,
    string AggregateType,
    int SchemaVersion,
    SnapshotCodec Codec,
    long Checksum,
    ReadOnlyMemory<byte> Data,
    DateTimeOffset CreatedAt)
{
    /// <summary>The same snapshot without its data, for listings.</summary>
    public SnapshotInfo ToInfo() => new(StreamId, Version, Position, AggregateType, SchemaVersion, Codec, Checksum, Data.Length, CreatedAt);
}

/// <summary>What a listing shows of a stored snapshot: everything but the data, and the data's stored size.</summary>
public sealed record SnapshotInfo(
    string StreamId,
    long Version,
    long Position,
    string AggregateType,
    int SchemaVersion,
    SnapshotCodec Codec,
    long Checksum,
    int StoredBytes,
    DateTimeOffset CreatedAt);
