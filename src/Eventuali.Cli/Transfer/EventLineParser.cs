using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Eventuali.Cli.Transfer;

/// <summary>One event read from an export line: where it belongs and when it was written.</summary>
internal sealed record ImportedEvent(long Line, string StreamId, long Version, EventData Event, DateTimeOffset Timestamp);

/// <summary>Reads the JSON-lines format that <see cref="EventJsonLine"/> writes (see docs/cli.md, "The export format").</summary>
internal static class EventLineParser
{
    public static ImportedEvent Parse(string text, long line)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(text);
        }
        catch (JsonException ex)
        {
            throw new ImportFileException(line, "not valid JSON: " + ex.Message.Split(" LineNumber:", 2)[0]);
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                throw new ImportFileException(line, $"expected a JSON object, found {Kind(root.ValueKind)}.");
            }

            var streamId = RequiredString(root, "streamId", line);
            var version = root.TryGetProperty("version", out var v) && v.ValueKind == JsonValueKind.Number && v.TryGetInt64(out var n) && n >= 1
                ? n
                : throw new ImportFileException(line, "field 'version' must be an integer of 1 or more.");
            if (!Guid.TryParse(RequiredString(root, "eventId", line), out var eventId) || eventId == Guid.Empty)
            {
                throw new ImportFileException(line, "field 'eventId' must be a non-empty GUID.");
            }

            var eventType = RequiredString(root, "eventType", line);
            if (!DateTimeOffset.TryParse(RequiredString(root, "timestamp", line), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var timestamp))
            {
                throw new ImportFileException(line, "field 'timestamp' must be an ISO-8601 time such as 2026-11-26T19:22:55.187534Z.");
            }

            var contentType = OptionalString(root, "contentType", line) ?? ContentTypes.Json;
            var metadata = new EventMetadata(
                OptionalString(root, "correlationId", line),
                OptionalString(root, "causationId", line),
                OptionalString(root, "actorId", line),
                Headers(root, line));
            var data = Data(root, line);
            try
            {
                var e = new EventData(eventId, eventType, data, metadata.IsEmpty ? null : metadata, contentType);
                Import.ImportValidation.Check(streamId, [e]);
                return new ImportedEvent(line, streamId, version, e, timestamp);
            }
            catch (ArgumentException ex)
            {
                throw new ImportFileException(line, ex.Message.Split(" (Parameter", 2)[0]);
            }
        }
    }

    private static byte[] Data(JsonElement root, long line)
    {
        var encoding = RequiredString(root, "dataEncoding", line);
        if (!root.TryGetProperty("data", out var data))
        {
            throw new ImportFileException(line, "field 'data' is missing.");
        }

        switch (encoding)
        {
            case "json":
                return Encoding.UTF8.GetBytes(data.GetRawText());
            case "base64":
                try
                {
                    return data.ValueKind == JsonValueKind.String ? data.GetBytesFromBase64() : throw new FormatException();
                }
                catch (FormatException)
                {
                    throw new ImportFileException(line, "field 'data' must be a base64 string when 'dataEncoding' is base64.");
                }

            default:
                throw new ImportFileException(line, $"field 'dataEncoding' must be json or base64, not '{encoding}'.");
        }
    }

    private static Dictionary<string, string>? Headers(JsonElement root, long line)
    {
        if (!root.TryGetProperty("headers", out var headers) || headers.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        if (headers.ValueKind != JsonValueKind.Object)
        {
            throw new ImportFileException(line, "field 'headers' must be an object of strings.");
        }

        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var header in headers.EnumerateObject())
        {
            result[header.Name] = header.Value.ValueKind == JsonValueKind.String
                ? header.Value.GetString()!
                : throw new ImportFileException(line, $"header '{header.Name}' must be a string.");
        }

        return result;
    }

    private static string RequiredString(JsonElement root, string name, long line)
        => OptionalString(root, name, line) is { Length: > 0 } value ? value : throw new ImportFileException(line, $"field '{name}' must be a non-empty string.");

    private static string? OptionalString(JsonElement root, string name, long line)
    {
        if (!root.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        return value.ValueKind == JsonValueKind.String ? value.GetString() : throw new ImportFileException(line, $"field '{name}' must be a string, found {Kind(value.ValueKind)}.");
    }

    private static string Kind(JsonValueKind kind) => kind.ToString().ToLowerInvariant();
}

/// <summary>A line of an import file that cannot be imported; the whole import stops before writing that stream.</summary>
internal sealed class ImportFileException(long line, string problem) : IOException($"line {line}: {problem}")
{
    public long Line { get; } = line;
}
