using System.Collections.Concurrent;
using System.Diagnostics.CodeAnalysis;
using System.Reflection;
using Google.Protobuf;

namespace Eventuali.Typed;

/// <summary>Protocol Buffers for events that are generated protobuf messages (<see cref="IMessage"/>).</summary>
public sealed class ProtobufEventSerializer : IEventSerializer
{
    private readonly ConcurrentDictionary<Type, MessageParser> _parsers = new();

    /// <inheritdoc />
    public string ContentType => ContentTypes.Protobuf;

    /// <inheritdoc />
    public bool CanSerialize(Type type) => typeof(IMessage).IsAssignableFrom(type);

    /// <inheritdoc />
    public byte[] Serialize(object @event, Type type)
        => @event is IMessage message ? message.ToByteArray() : throw new ArgumentException($"{type.FullName} is not a protobuf message.", nameof(@event));

    /// <inheritdoc />
    public object Deserialize(ReadOnlySpan<byte> data, Type type) => _parsers.GetOrAdd(type, FindParser).ParseFrom(data);

    // Generated messages expose a static Parser property; look it up once per type. In a trimmed application whose code
    // never touches a message type's Parser, the trimmer may remove it: that type then fails here with the
    // ArgumentException below, never with wrong data (docs/packaging.md says how to keep it).
    [UnconditionalSuppressMessage("Trimming", "IL2070", Justification = "A trimmed-away Parser fails with a typed error naming the type; documented in docs/packaging.md.")]
    private static MessageParser FindParser(Type type)
        => type.GetProperty("Parser", BindingFlags.Public | BindingFlags.Static)?.GetValue(null) as MessageParser
           ?? throw new ArgumentException($"{type.FullName} has no static protobuf Parser property; is it a generated message?", nameof(type));
}
