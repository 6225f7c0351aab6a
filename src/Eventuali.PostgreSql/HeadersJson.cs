using System.Text;
using System.Text.Json;

namespace Eventuali.PostgreSql;

/// <summary>Event headers as a flat JSON object of strings (the jsonb headers column).</summary>
internal static class HeadersJson
{
    public static string? Write(IReadOnlyDictionary<string, string>? headers)
    {
        if (headers is null || headers.Count == 0)
        {
            return null;
        }

        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            foreach (var (k, v) in headers)
            {
                w.WriteString(k, v);
            }

            w.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
    }

    // Events of one stream often carry the same headers (an encrypted aggregate's subject, key version and fields)
    // with a different correlation id each: the last text parsed on this thread is kept and its dictionary shared
    // (event headers are read-only to readers), so a read of such a stream parses them once.
    [ThreadStatic]
    private static string? t_lastJson;

    [ThreadStatic]
    private static Dictionary<string, string>? t_lastParsed;

    public static Dictionary<string, string>? Read(string? json)
    {
        if (json is null)
        {
            return null;
        }

        if (t_lastParsed is { } known && string.Equals(json, t_lastJson, StringComparison.Ordinal))
        {
            return known;
        }

        var result = Parse(json);
        (t_lastJson, t_lastParsed) = (json, result);
        return result;
    }

    // One pass of a reader over the text, without building a document first.
    private static Dictionary<string, string> Parse(string json)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        var reader = new Utf8JsonReader(Encoding.UTF8.GetBytes(json));
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
        {
            throw new JsonException("The headers column does not hold a JSON object.");
        }

        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var key = reader.GetString()!;
            reader.Read();
            result[key] = reader.TokenType == JsonTokenType.String ? reader.GetString()! : reader.TokenType == JsonTokenType.Null ? string.Empty : throw new JsonException("A header value is not a string.");
        }

        return result;
    }
}
