using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;

namespace Eventuali.Typed;

/// <summary>
/// System.Text.Json, camelCase by default so payloads stay readable (and queryable) in the database.
/// Pass a source-generated <see cref="JsonSerializerContext"/> to avoid reflection; types it does not
/// know fall back to reflection.
/// </summary>
public sealed class JsonEventSerializer : IEventSerializer
{
    private readonly JsonSerializerOptions _options;

    public JsonEventSerializer(JsonSerializerOptions? options = null) => _options = Freeze(options ?? CreateDefaultOptions());

    public JsonEventSerializer(JsonSerializerContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var options = new JsonSerializerOptions(context.Options)
        {
            TypeInfoResolver = JsonTypeInfoResolver.Combine(context, new DefaultJsonTypeInfoResolver()),
        };
        _options = Freeze(options);
    }

    public static JsonSerializerOptions CreateDefaultOptions() => new(JsonSerializerDefaults.Web)
    {
        TypeInfoResolver = new DefaultJsonTypeInfoResolver(),
    };

    public string ContentType => ContentTypes.Json;

    public JsonSerializerOptions Options => _options;

    public bool CanSerialize(Type type) => true;

    public byte[] Serialize(object @event, Type type) => JsonSerializer.SerializeToUtf8Bytes(@event, _options.GetTypeInfo(type));

    public object Deserialize(ReadOnlySpan<byte> data, Type type)
        => JsonSerializer.Deserialize(data, _options.GetTypeInfo(type)) ?? throw new JsonException("The payload is JSON null.");

    private static JsonSerializerOptions Freeze(JsonSerializerOptions options)
    {
        options.TypeInfoResolver ??= new DefaultJsonTypeInfoResolver();
        options.MakeReadOnly();
        return options;
    }
}
