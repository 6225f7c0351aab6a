namespace Eventuali;

/// <summary>A stored payload could not be turned into an object. The store itself is unaffected.</summary>
public sealed class EventDeserializationException : EventualiException
{
    public EventDeserializationException(RecordedEvent recorded, string reason, Exception? innerException = null)
        : base($"Cannot read event '{recorded.EventType}' at stream '{recorded.StreamId}' version {recorded.StreamVersion} (position {recorded.Position}): {reason}", innerException)
    {
        StreamId = recorded.StreamId;
        StreamVersion = recorded.StreamVersion;
        Position = recorded.Position;
        EventType = recorded.EventType;
    }

    public string StreamId { get; }
    public long StreamVersion { get; }
    public long Position { get; }
    public string EventType { get; }
}
