namespace Eventuali;

/// <summary>An event as stored: where it sits in its stream and in the global log, and when it was written.</summary>
/// <param name="StreamId">The stream the event belongs to.</param>
/// <param name="StreamVersion">Its version in that stream (the first event is 1).</param>
/// <param name="Position">Its place in the global log: strictly increasing in log order, never reused; not necessarily contiguous.</param>
/// <param name="EventId">The id given at append.</param>
/// <param name="EventType">The stored type name.</param>
/// <param name="Data">The payload.</param>
/// <param name="Metadata">Correlation, causation, actor and headers.</param>
/// <param name="Timestamp">UTC time of the append, from the store's <see cref="TimeProvider"/>, to the microsecond.</param>
/// <param name="ContentType">The payload's content type.</param>
public sealed record RecordedEvent(
    string StreamId,
    long StreamVersion,
    long Position,
    Guid EventId,
    string EventType,
    ReadOnlyMemory<byte> Data,
    EventMetadata Metadata,
    DateTimeOffset Timestamp,
    string ContentType);
