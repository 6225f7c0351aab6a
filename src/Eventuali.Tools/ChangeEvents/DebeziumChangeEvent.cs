using System.Buffers;
using System.Text;
using System.Text.Json;
using Eventuali.Statistics;

namespace Eventuali.Tools.ChangeEvents;

/// <summary>
/// Events as Debezium change events (the JSON value with schemas disabled: <c>before</c>, <c>after</c>, <c>source</c>,
/// <c>op</c>, <c>ts_ms</c>, <c>transaction</c>), so consumers built for Debezium topics read an Eventuali log as they
/// would a table's changes. Every event is an insert (<c>op: "c"</c>, <c>before: null</c>); <c>source.table</c> is the
/// stream category and <c>source.pos</c> the global position. JSON payloads are embedded as JSON, others as base64.
/// </summary>
public static class DebeziumChangeEvent
{
    /// <summary>The value of <c>source.connector</c>.</summary>
    public const string Connector = "eventuali";

    /// <summary>Writes <paramref name="recorded"/> as one change event.</summary>
    /// <param name="writer">Where the JSON object goes.</param>
    /// <param name="recorded">The event.</param>
    /// <param name="serverName">The logical server name (Debezium's topic prefix), <c>source.name</c>.</param>
    /// <param name="processedAt">When the change event was produced (<c>ts_ms</c>).</param>
    public static void Write(Utf8JsonWriter writer, RecordedEvent recorded, string serverName, DateTimeOffset processedAt)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(recorded);
        ArgumentException.ThrowIfNullOrWhiteSpace(serverName);
        writer.WriteStartObject();
        writer.WriteNull("before");
        writer.WriteStartObject("after");
        writer.WriteNumber("position", recorded.Position);
        writer.WriteString("stream_id", recorded.StreamId);
        writer.WriteNumber("stream_version", recorded.StreamVersion);
        writer.WriteString("event_id", recorded.EventId);
        writer.WriteString("event_type", recorded.EventType);
        writer.WriteString("timestamp", recorded.Timestamp);
        writer.WriteString("content_type", recorded.ContentType);
        writer.WritePropertyName("data");
        WriteData(writer, recorded);
        WriteOptional(writer, "correlation_id", recorded.Metadata.CorrelationId);
        WriteOptional(writer, "causation_id", recorded.Metadata.CausationId);
        WriteOptional(writer, "actor_id", recorded.Metadata.ActorId);
        writer.WriteStartObject("headers");
        foreach (var (key, value) in (recorded.Metadata.Headers ?? new Dictionary<string, string>()).OrderBy(h => h.Key, StringComparer.Ordinal))
        {
            writer.WriteString(key, value);
        }

        writer.WriteEndObject();
        writer.WriteEndObject();
        writer.WriteStartObject("source");
        writer.WriteString("version", typeof(DebeziumChangeEvent).Assembly.GetName().Version?.ToString(3) ?? "0.0.0");
        writer.WriteString("connector", Connector);
        writer.WriteString("name", serverName);
        writer.WriteNumber("ts_ms", recorded.Timestamp.ToUnixTimeMilliseconds());
        writer.WriteString("snapshot", "false");
        writer.WriteString("db", serverName);
        writer.WriteString("table", StreamCategories.Of(recorded.StreamId));
        writer.WriteNumber("pos", recorded.Position);
        writer.WriteEndObject();
        writer.WriteString("op", "c");
        writer.WriteNumber("ts_ms", processedAt.ToUnixTimeMilliseconds());
        writer.WriteNull("transaction");
        writer.WriteEndObject();
    }

    /// <summary>One change event as a JSON string (a line of a Debezium-shaped export).</summary>
    public static string Format(RecordedEvent recorded, string serverName, DateTimeOffset processedAt)
    {
        var buffer = new ArrayBufferWriter<byte>(512);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            Write(writer, recorded, serverName, processedAt);
        }

        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    /// <summary>The message key a relay publishes with the change event: the stream id, so one stream keeps its order in a partition.</summary>
    public static string FormatKey(RecordedEvent recorded)
    {
        ArgumentNullException.ThrowIfNull(recorded);
        var buffer = new ArrayBufferWriter<byte>(64);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("stream_id", recorded.StreamId);
            writer.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    private static void WriteData(Utf8JsonWriter writer, RecordedEvent recorded)
    {
        if (recorded.ContentType.StartsWith(ContentTypes.Json, StringComparison.OrdinalIgnoreCase) && !recorded.Data.IsEmpty)
        {
            try
            {
                using var doc = JsonDocument.Parse(recorded.Data);
                doc.RootElement.WriteTo(writer);
                return;
            }
            catch (JsonException)
            {
                // Labelled JSON but not JSON: carried as base64 below rather than failing the export.
            }
        }

        writer.WriteBase64StringValue(recorded.Data.Span);
    }

    private static void WriteOptional(Utf8JsonWriter writer, string name, string? value)
    {
        if (value is null)
        {
            writer.WriteNull(name);
        }
        else
        {
            writer.WriteString(name, value);
        }
    }
}
