namespace Eventuali.Caching;

/// <summary>An aggregate's state after <paramref name="Version"/> events of its stream, as a cache holds it.</summary>
/// <param name="StreamId">The aggregate's stream.</param>
/// <param name="Version">The stream version the state includes.</param>
/// <param name="Position">The global position of the event at <paramref name="Version"/>: a load checks it against the stream, so an entry of a stream since deleted and recreated is a miss.</param>
/// <param name="AggregateType">The aggregate's CLR type name; an entry of another type is a miss.</param>
/// <param name="SchemaVersion">The state shape (<see cref="Snapshots.SnapshotSchemaAttribute"/>); an entry of another shape is a miss.</param>
/// <param name="Checksum">XxHash64 of <paramref name="State"/>; an entry whose bytes do not match is a miss.</param>
/// <param name="State">The state as JSON (the aggregate's <see cref="Snapshots.ISnapshottable{TState}"/> state).</param>
public sealed record CachedAggregate(
    string StreamId,
    long Version,
    long Position,
    string AggregateType,
    int SchemaVersion,
    long Checksum,
    ReadOnlyMemory<byte> State);
