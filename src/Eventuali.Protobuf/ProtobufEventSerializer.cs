using System.Collections.Concurrent;
using System.Reflection;
using Google.Protobuf;

namespace Eventuali.Typed;

/// <summary>Protocol Buffers for events that are generated protobuf messages (<see cref="IMessage"/>).</summary>
public sealed class ProtobufEventSerializer : IEventSerializer
{
    private readonly ConcurrentDictionary<Type, MessageParser> _parsers = new();

    public string ContentType => ContentTypes.Protobuf;

    public bool CanSerialize(Type type) => typeof(IMessage).IsAssignableFrom(type);

    public byte[] Serialize(object @event, Type type)
        => @event is IMessage message ? message.ToByteArray() : throw new ArgumentException($"{type.FullName} is not a protobuf message.", nameof(@event));

    public object Deserialize(ReadOnlySpan<byte> data, Type type) => _parsers.GetOrAdd(type, FindParser).ParseFrom(data);

    // Generated messages expose a static Parser property; look it up once per type.
    private static MessageParser FindParser(Type type)
        => type.GetProperty("Parser", BindingFlags.Public | BindingFlags.Static)?.GetValue(null) as MessageParser
           ?? throw new ArgumentException($"{type.FullName} has no static protobuf Parser property; is it a generated message?", nameof(type));
}
