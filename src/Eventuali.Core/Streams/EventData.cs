namespace Eventuali;

/// <summary>An event to append: its id (the idempotency key), stored type name, payload and metadata.</summary>
public sealed record EventData
{
    public EventData(Guid eventId, string eventType, ReadOnlyMemory<byte> data, EventMetadata? metadata = null, string contentType = ContentTypes.Json)
    {
        if (eventId == Guid.Empty)
        {
            throw new ArgumentException("Event id must not be empty (Guid.Empty).", nameof(eventId));
        }

        ArgumentException.ThrowIfNullOrWhiteSpace(eventType);
        ArgumentException.ThrowIfNullOrWhiteSpace(contentType);
        EventId = eventId;
        EventType = eventType;
        Data = data;
        Metadata = metadata ?? EventMetadata.Empty;
        ContentType = contentType;
    }

    /// <summary>Creates an event with a new time-ordered (UUIDv7) id.</summary>
    public static EventData Create(string eventType, ReadOnlyMemory<byte> data, EventMetadata? metadata = null, string contentType = ContentTypes.Json, TimeProvider? timeProvider = null)
        => new(NewEventId(timeProvider), eventType, data, metadata, contentType);

    /// <summary>A JSON event from UTF-8 text.</summary>
    public static EventData Json(string eventType, string json, EventMetadata? metadata = null)
        => Create(eventType, System.Text.Encoding.UTF8.GetBytes(json), metadata);

    /// <summary>A new UUIDv7 event id: time-ordered, so ids index well.</summary>
    public static Guid NewEventId(TimeProvider? timeProvider = null)
        => Guid.CreateVersion7((timeProvider ?? TimeProvider.System).GetUtcNow());

    public Guid EventId { get; }
    public string EventType { get; }
    public ReadOnlyMemory<byte> Data { get; }
    public EventMetadata Metadata { get; }
    public string ContentType { get; }
}
