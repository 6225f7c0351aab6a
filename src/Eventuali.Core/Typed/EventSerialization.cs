namespace Eventuali.Typed;

/// <summary>Converts typed events to <see cref="EventData"/> and recorded events back to (upcast) objects.</summary>
public static class EventSerialization
{
    /// <summary>Serializes a typed event to <see cref="EventData"/> under its registered name, with a new time-ordered id unless <paramref name="eventId"/> is given.</summary>
    public static EventData ToEventData(this EventTypeRegistry types, object @event, EventMetadata? metadata = null, Guid? eventId = null, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(types);
        ArgumentNullException.ThrowIfNull(@event);
        var type = @event.GetType();
        var name = types.GetName(type);
        var serializer = types.SerializerFor(type);
        return new EventData(eventId ?? EventData.NewEventId(timeProvider), name, serializer.Serialize(@event, type), metadata, serializer.ContentType);
    }

    /// <summary>
    /// Reads a recorded event as its current CLR type. An unknown type name or unreadable bytes throw
    /// <see cref="EventDeserializationException"/> naming stream, version, position and type.
    /// </summary>
    public static object Deserialize(this EventTypeRegistry types, RecordedEvent recorded)
    {
        ArgumentNullException.ThrowIfNull(types);
        ArgumentNullException.ThrowIfNull(recorded);
        if (!types.TryGetType(recorded.EventType, out var type))
        {
            throw new EventDeserializationException(recorded, "the event type is not registered (register it, or add [EventType] to its class and register the assembly).");
        }

        var serializer = types.SerializerForContentType(recorded.ContentType) ?? types.SerializerFor(type);
        object value;
        try
        {
            value = serializer.Deserialize(recorded.Data.Span, type);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            throw new EventDeserializationException(recorded, $"the {recorded.ContentType} payload is not a valid {type.Name}: {ex.Message}", ex);
        }

        try
        {
            return types.Upcast(value);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            throw new EventDeserializationException(recorded, $"upcasting {type.Name} failed: {ex.Message}", ex);
        }
    }
}
