using System.Buffers;
using System.Text;
using System.Text.Json;

namespace Eventuali.Cli;

/// <summary>Writes one recorded event as one line of JSON: payload inline when it is JSON, base64 otherwise.</summary>
/// <param name="canonical">
/// The portable form of export: no position (each store assigns its own; import ignores it) and object keys of JSON
/// payloads and headers in ordinal order (PostgreSQL's jsonb does not keep key order), so exports of the same events
/// are identical whichever backend holds them.
/// </param>
internal sealed class EventJsonLine(bool canonical = false)
{
    private readonly ArrayBufferWriter<byte> _buffer = new(1024);

    public string Format(RecordedEvent e)
    {
        _buffer.ResetWrittenCount();
        using (var json = new Utf8JsonWriter(_buffer, Json.WriterOptions))
        {
            json.WriteStartObject();
            if (!canonical)
            {
                json.WriteNumber("position", e.Position);
            }

            json.WriteString("streamId", e.StreamId);
            json.WriteNumber("version", e.StreamVersion);
            json.WriteString("eventId", e.EventId);
            json.WriteString("eventType", e.EventType);
            json.WriteString("timestamp", e.Timestamp.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", System.Globalization.CultureInfo.InvariantCulture));
            WriteNullable(json, "correlationId", e.Metadata.CorrelationId);
            WriteNullable(json, "causationId", e.Metadata.CausationId);
            WriteNullable(json, "actorId", e.Metadata.ActorId);
            if (e.Metadata.Headers is { Count: > 0 } headers)
            {
                json.WriteStartObject("headers");
                foreach (var (key, value) in canonical ? headers.OrderBy(h => h.Key, StringComparer.Ordinal) : (IEnumerable<KeyValuePair<string, string>>)headers)
                {
                    json.WriteString(key, value);
                }

                json.WriteEndObject();
            }

            json.WriteString("contentType", e.ContentType);
            using var document = ContentTypes.IsJson(e.ContentType) ? TryParse(e.Data) : null;
            if (document is not null)
            {
                // Re-written compactly, so a payload stored with newlines still fits on one line.
                json.WriteString("dataEncoding", "json");
                json.WritePropertyName("data");
                if (canonical)
                {
                    WriteCanonical(json, document.RootElement);
                }
                else
                {
                    document.WriteTo(json);
                }
            }
            else
            {
                json.WriteString("dataEncoding", "base64");
                json.WriteBase64String("data", e.Data.Span);
            }

            json.WriteEndObject();
        }

        return Encoding.UTF8.GetString(_buffer.WrittenSpan);
    }

    private static void WriteCanonical(Utf8JsonWriter json, JsonElement element)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                json.WriteStartObject();
                foreach (var property in element.EnumerateObject().OrderBy(p => p.Name, StringComparer.Ordinal))
                {
                    json.WritePropertyName(property.Name);
                    WriteCanonical(json, property.Value);
                }

                json.WriteEndObject();
                break;
            case JsonValueKind.Array:
                json.WriteStartArray();
                foreach (var item in element.EnumerateArray())
                {
                    WriteCanonical(json, item);
                }

                json.WriteEndArray();
                break;
            default:
                element.WriteTo(json);
                break;
        }
    }

    private static void WriteNullable(Utf8JsonWriter json, string name, string? value)
    {
        if (value is null)
        {
            json.WriteNull(name);
        }
        else
        {
            json.WriteString(name, value);
        }
    }

    // A payload stored as JSON but not parseable (damaged) is printed as base64 rather than breaking the line format.
    private static JsonDocument? TryParse(ReadOnlyMemory<byte> data)
    {
        try
        {
            return JsonDocument.Parse(data);
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
