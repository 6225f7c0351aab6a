namespace Eventuali.Typed;

/// <summary>Turns event objects into payload bytes and back. Implement it to plug in another format.</summary>
public interface IEventSerializer
{
    /// <summary>The content type stored with payloads this serializer writes.</summary>
    string ContentType { get; }

    /// <summary>Whether this serializer writes events of <paramref name="type"/>.</summary>
    bool CanSerialize(Type type);

    /// <summary>Serializes <paramref name="event"/> as <paramref name="type"/>.</summary>
    byte[] Serialize(object @event, Type type);

    /// <summary>Reads an object of <paramref name="type"/> from <paramref name="data"/>.</summary>
    object Deserialize(ReadOnlySpan<byte> data, Type type);
}
