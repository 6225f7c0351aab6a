namespace Eventuali;

/// <summary>
/// An event id was reused somewhere other than an exact retry of the original append
/// (another stream, another place in the stream, or a partial overlap). Nothing was written.
/// </summary>
public sealed class DuplicateEventIdException : EventualiException
{
    /// <summary>Creates the exception for an append to <paramref name="streamId"/> that reused <paramref name="eventId"/>, already stored in <paramref name="existingStreamId"/> at <paramref name="existingVersion"/>.</summary>
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

    /// <summary>The event id that is already stored.</summary>
    public Guid EventId { get; }
    /// <summary>The stream the append was for.</summary>
    public string StreamId { get; }
    /// <summary>The stream that holds the existing event, when known.</summary>
    public string? ExistingStreamId { get; }
    /// <summary>The version of the existing event in its stream, when known.</summary>
    public long? ExistingVersion { get; }
}
