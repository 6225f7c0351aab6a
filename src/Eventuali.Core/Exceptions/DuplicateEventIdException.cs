namespace Eventuali;

/// <summary>
/// An event id was reused somewhere other than an exact retry of the original append
/// (another stream, another place in the stream, or a partial overlap). Nothing was written.
/// </summary>
public sealed class DuplicateEventIdException : EventualiException
{
    public DuplicateEventIdException(Guid eventId, string streamId, string? existingStreamId, long? existingVersion)
        : base(existingStreamId is null
            ? $"Event id {eventId} appended to stream '{streamId}' is already stored."
            : $"Event id {eventId} appended to stream '{streamId}' is already stored in stream '{existingStreamId}' at version {existingVersion}; event ids are unique across the store and may only be reused to retry the same append.")
    {
        EventId = eventId;
        StreamId = streamId;
        ExistingStreamId = existingStreamId;
        ExistingVersion = existingVersion;
    }

    public Guid EventId { get; }
    public string StreamId { get; }
    public string? ExistingStreamId { get; }
    public long? ExistingVersion { get; }
}
