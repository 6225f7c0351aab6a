using System.Text.Json;

namespace Eventuali.Server;

/// <summary>
/// Writes a recorded event as the API's JSON (the shape of <see cref="EventDocument"/>): a JSON payload inline as
/// <c>data</c>, any other payload as base64 in <c>dataBase64</c>. Payloads are copied, not parsed into objects; one
/// that holds line breaks is re-emitted compact so the event also fits on one server-sent event line.
/// </summary>
internal static class EventJson
{
    public static void Write(Utf8JsonWriter w, RecordedEvent e)
    {
        w.WriteStartObject();
        w.WriteString("streamId", e.StreamId);
        w.WriteNumber("version", e.StreamVersion);
        w.WriteNumber("position", e.Position);
        w.WriteString("id", e.EventId);
        w.WriteString("type", e.EventType);
        w.WriteString("timestamp", e.Timestamp);
        w.WriteString("contentType", e.ContentType);
        var data = e.Data.Span;
        if (IsJson(e.ContentType) && IsValidJson(data, out var hasLineBreaks))
        {
            w.WritePropertyName("data");
            if (hasLineBreaks)
            {
                using var doc = JsonDocument.Parse(e.Data);
                doc.RootElement.WriteTo(w);
            }
            else
            {
                w.WriteRawValue(data, skipInputValidation: true);
            }
        }
        else
        {
            w.WriteBase64String("dataBase64", data);
        }

        var m = e.Metadata;
        if (!m.IsEmpty)
        {
            w.WriteStartObject("metadata");
            WriteIfSet(w, "correlationId", m.CorrelationId);
            WriteIfSet(w, "causationId", m.CausationId);
            WriteIfSet(w, "actorId", m.ActorId);
            if (m.Headers is { Count: > 0 } headers)
            {
                w.WriteStartObject("headers");
                foreach (var (key, value) in headers)
                {
                    w.WriteString(key, value);
                }

                w.WriteEndObject();
            }

            w.WriteEndObject();
        }

        w.WriteEndObject();
    }

    private static void WriteIfSet(Utf8JsonWriter w, string name, string? value)
    {
        if (value is not null)
        {
            w.WriteString(name, value);
        }
    }

    private static bool IsJson(string contentType)
        => contentType.StartsWith(ContentTypes.Json, StringComparison.OrdinalIgnoreCase) || contentType.Contains("+json", StringComparison.OrdinalIgnoreCase);

    private static bool IsValidJson(ReadOnlySpan<byte> data, out bool hasLineBreaks)
    {
        hasLineBreaks = data.IndexOfAny((byte)'\n', (byte)'\r') >= 0;
        if (data.IsEmpty)
        {
            return false;
        }

        try
        {
            var reader = new Utf8JsonReader(data);
            while (reader.Read())
            {
            }

            return true;
        }
        catch (JsonException)
        {
            return false;
        }
    }
}
