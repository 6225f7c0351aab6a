namespace Eventuali;

/// <summary>An event to append: its id (the idempotency key), stored type name, payload and metadata.</summary>
public sealed record EventData
{
    /// <summary>Creates an event to append; <paramref name="eventType"/> must be a well-formed stored type name.</summary>
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

    /// <summary>The event's unique id (idempotency key).</summary>
    public Guid EventId { get; }
    /// <summary>The stored event type name.</summary>
    public string EventType { get; }
    /// <summary>The payload bytes.</summary>
    public ReadOnlyMemory<byte> Data { get; }
    /// <summary>Correlation, causation, actor and headers.</summary>
    public EventMetadata Metadata { get; }
    /// <summary>The payload's content type (for example <see cref="ContentTypes.Json"/>).</summary>
    public string ContentType { get; }
}
