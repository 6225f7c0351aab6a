namespace Eventuali;

/// <summary>A stored payload could not be turned into an object. The store itself is unaffected.</summary>
public sealed class EventDeserializationException : EventualiException
{
    /// <summary>Creates the exception for <paramref name="recorded"/>, saying in <paramref name="reason"/> why it could not be read.</summary>
    public EventDeserializationException(RecordedEvent recorded, string reason, Exception? innerException = null)
        : base($"Cannot read event '{recorded.EventType}' at stream '{recorded.StreamId}' version {recorded.StreamVersion} (position {recorded.Position}): {reason}", innerException)
    {
        StreamId = recorded.StreamId;
        StreamVersion = recorded.StreamVersion;
        Position = recorded.Position;
        EventType = recorded.EventType;
    }

    /// <summary>The stream of the unreadable event.</summary>
    public string StreamId { get; }
    /// <summary>The unreadable event's version in its stream.</summary>
    public long StreamVersion { get; }
    /// <summary>The unreadable event's position in the global log.</summary>
    public long Position { get; }
    /// <summary>The unreadable event's stored type name.</summary>
    public string EventType { get; }
}
