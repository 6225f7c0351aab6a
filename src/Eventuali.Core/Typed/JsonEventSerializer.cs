using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using System.Text.Unicode;

namespace Eventuali.Typed;

/// <summary>
/// System.Text.Json, camelCase by default so payloads stay readable (and queryable) in the database.
/// Pass a source-generated <see cref="JsonSerializerContext"/> to avoid reflection; types it does not
/// know fall back to reflection where the application allows it. Trimmed and Native AOT applications
/// (where reflection-based serialization is off) must pass a context, or options whose resolver knows every event type.
/// </summary>
public sealed class JsonEventSerializer : IEventSerializer
{
    private readonly JsonSerializerOptions _options;

    /// <summary>Creates a serializer with <paramref name="options"/> (default: <see cref="CreateDefaultOptions"/>).</summary>
    public JsonEventSerializer(JsonSerializerOptions? options = null) => _options = Freeze(options ?? CreateDefaultOptions());

    /// <summary>Creates a serializer whose types come from a source-generated <paramref name="context"/> (no reflection; trim- and AOT-safe).</summary>
    public JsonEventSerializer(JsonSerializerContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var options = new JsonSerializerOptions(context.Options)
        {
            TypeInfoResolver = JsonTypeInfoResolver.Combine(context, ReflectionJson.Resolver()),
        };
        _options = Freeze(options);
    }

    // The default encoder writes every non-ASCII letter as \uXXXX ("Grüße" → "Gr\u00FC\u00DFe"); this one keeps
    // text readable in the database while still escaping HTML-sensitive characters.
    /// <summary>New default options: web defaults (camelCase), with reflection-based type information where the application allows reflection-based serialization.</summary>
    public static JsonSerializerOptions CreateDefaultOptions() => new(JsonSerializerDefaults.Web)
    {
        TypeInfoResolver = ReflectionJson.Resolver(),
        Encoder = JavaScriptEncoder.Create(UnicodeRanges.All),
    };

    /// <inheritdoc />
    public string ContentType => ContentTypes.Json;

    /// <summary>The (read-only) options in use.</summary>
    public JsonSerializerOptions Options => _options;

    /// <inheritdoc />
    public bool CanSerialize(Type type) => true;

    /// <inheritdoc />
    public byte[] Serialize(object @event, Type type) => JsonSerializer.SerializeToUtf8Bytes(@event, _options.GetTypeInfo(type));

    /// <inheritdoc />
    public object Deserialize(ReadOnlySpan<byte> data, Type type)
        => JsonSerializer.Deserialize(data, _options.GetTypeInfo(type)) ?? throw new JsonException("The payload is JSON null.");

    private static JsonSerializerOptions Freeze(JsonSerializerOptions options)
    {
        options.TypeInfoResolver ??= ReflectionJson.Resolver();
        options.MakeReadOnly();
        return options;
    }
}
