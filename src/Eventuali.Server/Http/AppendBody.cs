using System.Globalization;
using System.Runtime.InteropServices;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace Eventuali.Server;

/// <summary>
/// Reads an append's body: a JSON array of events, or an object <c>{"expectedVersion": N, "events": [...]}</c>. Each
/// event has <c>type</c> and <c>data</c>, optionally <c>id</c> (a UUID; send one so a retry is idempotent),
/// <c>contentType</c> and <c>metadata</c>. The whole body is checked before the store sees any of it.
/// </summary>
internal static class AppendBody
{
    public const int MaxEvents = 10_000;

    public sealed record Parsed(IReadOnlyList<EventData> Events, ExpectedVersion? Expected);

    /// <summary>The events, or null with the problem already written.</summary>
    public static async Task<Parsed?> ReadAsync(HttpContext context, long maxBytes, TimeProvider clock)
    {
        var request = context.Request;
        if (!IsJsonContentType(request.ContentType))
        {
            await Problems.WriteAsync(context, Problems.UnsupportedMediaType, "An append's body must be application/json.").ConfigureAwait(false);
            return null;
        }

        if (request.ContentLength > maxBytes)
        {
            await TooLargeAsync(context, maxBytes).ConfigureAwait(false);
            return null;
        }

        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
        {
            limit.MaxRequestBodySize = maxBytes;
        }

        JsonDocument doc;
        try
        {
            doc = await JsonDocument.ParseAsync(request.Body, default, context.RequestAborted).ConfigureAwait(false);
        }
        catch (BadHttpRequestException ex) when (ex.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            await TooLargeAsync(context, maxBytes).ConfigureAwait(false);
            return null;
        }
        catch (JsonException ex)
        {
            await Problems.WriteAsync(context, Problems.InvalidJson, $"The body is not valid JSON (line {ex.LineNumber + 1}, byte {ex.BytePositionInLine + 1}).").ConfigureAwait(false);
            return null;
        }

        using (doc)
        {
            var (parsed, error) = Parse(doc.RootElement, clock);
            if (error is not null)
            {
                await Problems.WriteAsync(context, error.Value.Type, error.Value.Detail).ConfigureAwait(false);
                return null;
            }

            return parsed;
        }
    }

    private static Task TooLargeAsync(HttpContext context, long maxBytes)
        => Problems.WriteAsync(context, Problems.PayloadTooLarge, $"The body is larger than the limit of {maxBytes.ToString(CultureInfo.InvariantCulture)} bytes.");

    internal static bool IsJsonContentType(string? contentType)
    {
        if (contentType is null)
        {
            return false;
        }

        var media = contentType.Split(';', 2)[0].Trim();
        return media.Equals("application/json", StringComparison.OrdinalIgnoreCase)
            || (media.StartsWith("application/", StringComparison.OrdinalIgnoreCase) && media.EndsWith("+json", StringComparison.OrdinalIgnoreCase));
    }

    private static (Parsed? Parsed, (ProblemType Type, string Detail)? Error) Parse(JsonElement root, TimeProvider clock)
    {
        ExpectedVersion? expected = null;
        var events = root;
        if (root.ValueKind == JsonValueKind.Object)
        {
            if (root.TryGetProperty("expectedVersion", out var ev) && ev.ValueKind != JsonValueKind.Null)
            {
                if (ev.ValueKind != JsonValueKind.Number || !ev.TryGetInt64(out var v) || v < 0)
                {
                    return (null, (Problems.InvalidJson, "expectedVersion must be a whole number, 0 or more (0: the stream must not exist)."));
                }

                expected = ExpectedVersion.Exact(v);
            }

            if (!root.TryGetProperty("events", out events))
            {
                return (null, (Problems.InvalidJson, "The body object must have an 'events' array."));
            }
        }

        if (events.ValueKind != JsonValueKind.Array)
        {
            return (null, (Problems.InvalidJson, "The body must be a JSON array of events, or an object with an 'events' array."));
        }

        var count = events.GetArrayLength();
        if (count == 0 || count > MaxEvents)
        {
            return (null, (Problems.InvalidEvent, $"An append takes 1 to {MaxEvents} events; the body has {count}."));
        }

        var list = new List<EventData>(count);
        var index = 0;
        foreach (var item in events.EnumerateArray())
        {
            var (data, error) = ParseEvent(item, index, clock);
            if (error is not null)
            {
                return (null, (Problems.InvalidEvent, error));
            }

            list.Add(data!);
            index++;
        }

        return (new Parsed(list, expected), null);
    }

    private static (EventData? Data, string? Error) ParseEvent(JsonElement e, int index, TimeProvider clock)
    {
        // Only an error names the event: the text is not built for the events that parse.
        string At() => $"Event {index.ToString(CultureInfo.InvariantCulture)}";
        if (e.ValueKind != JsonValueKind.Object)
        {
            return (null, $"{At()} is not a JSON object.");
        }

        var typeName = e.TryGetProperty("type", out var type) && type.ValueKind == JsonValueKind.String ? type.GetString() : null;
        if (string.IsNullOrWhiteSpace(typeName))
        {
            return (null, $"{At()} has no 'type' (a non-empty string).");
        }

        if (!e.TryGetProperty("data", out var data) || data.ValueKind == JsonValueKind.Undefined)
        {
            return (null, $"{At()} has no 'data'.");
        }

        var id = Guid.Empty;
        if (e.TryGetProperty("id", out var idElement) && idElement.ValueKind != JsonValueKind.Null
            && (idElement.ValueKind != JsonValueKind.String || !Guid.TryParse(idElement.GetString(), out id) || id == Guid.Empty))
        {
            return (null, $"{At()} has an 'id' that is not a non-empty UUID.");
        }

        var (metadata, metadataError) = e.TryGetProperty("metadata", out var m) && m.ValueKind != JsonValueKind.Null ? ParseMetadata(m, At()) : (null, null);
        if (metadataError is not null)
        {
            return (null, metadataError);
        }

        if (id == Guid.Empty)
        {
            id = EventData.NewEventId(clock);
        }

        try
        {
            // The payload's UTF-8 bytes as they came, copied once (not via a string and back).
            var bytes = JsonMarshal.GetRawUtf8Value(data).ToArray();
            return (new EventData(id, typeName, bytes, metadata), null);
        }
        catch (ArgumentException ex)
        {
            return (null, $"{At()}: {ex.Message}");
        }
    }

    private static (EventMetadata? Metadata, string? Error) ParseMetadata(JsonElement m, string at)
    {
        if (m.ValueKind != JsonValueKind.Object)
        {
            return (null, $"{at} has 'metadata' that is not an object.");
        }

        string? Text(string name, out string? error)
        {
            error = null;
            if (!m.TryGetProperty(name, out var p) || p.ValueKind == JsonValueKind.Null)
            {
                return null;
            }

            if (p.ValueKind != JsonValueKind.String)
            {
                error = $"{at} has metadata.{name} that is not a string.";
                return null;
            }

            return p.GetString();
        }

        var correlation = Text("correlationId", out var e1);
        var causation = Text("causationId", out var e2);
        var actor = Text("actorId", out var e3);
        if ((e1 ?? e2 ?? e3) is { } error)
        {
            return (null, error);
        }

        Dictionary<string, string>? headers = null;
        if (m.TryGetProperty("headers", out var h) && h.ValueKind != JsonValueKind.Null)
        {
            if (h.ValueKind != JsonValueKind.Object)
            {
                return (null, $"{at} has metadata.headers that is not an object of strings.");
            }

            headers = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var p in h.EnumerateObject())
            {
                if (p.Value.ValueKind != JsonValueKind.String)
                {
                    return (null, $"{at} has metadata.headers.{p.Name} that is not a string.");
                }

                headers[p.Name] = p.Value.GetString()!;
            }
        }

        return (new EventMetadata(correlation, causation, actor, headers), null);
    }
}
