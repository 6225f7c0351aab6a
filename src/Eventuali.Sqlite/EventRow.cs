using System.Buffers;
using System.Text.Json;

namespace Eventuali.Sqlite;

/// <summary>Column layout of the events table: how an event is bound for insert and its metadata encoded.</summary>
internal static class EventRow
{
    // Column indexes of the read statements (see queries.sql).
    public const int Position = 0;
    public const int StreamId = 1;
    public const int Version = 2;
    public const int EventId = 3;
    public const int EventType = 4;
    public const int ContentType = 5;
    public const int Data = 6;
    public const int CorrelationId = 7;
    public const int CausationId = 8;
    public const int ActorId = 9;
    public const int Headers = 10;
    public const int Timestamp = 11;

    private static readonly long UnixEpochTicks = DateTimeOffset.UnixEpoch.UtcTicks;

    public static long ToUnixMicroseconds(DateTimeOffset time) => (time.UtcTicks - UnixEpochTicks) / 10;

    public static DateTimeOffset FromUnixMicroseconds(long micros) => new(UnixEpochTicks + (micros * 10), TimeSpan.Zero);

    public static void BindInsert(RawStatement insert, long streamRowId, long version, EventData e, long timestamp)
    {
        Span<byte> id = stackalloc byte[16];
        e.EventId.TryWriteBytes(id, bigEndian: true, out _);
        insert.Bind(1, streamRowId);
        insert.Bind(2, version);
        insert.BindBlob(3, id);
        insert.BindText(4, e.EventType);
        var json = ContentTypes.IsJson(e.ContentType);
        insert.BindText(5, json ? null : e.ContentType);
        if (json)
        {
            insert.BindUtf8(6, e.Data.Span);
        }
        else
        {
            insert.BindBlob(6, e.Data.Span);
        }

        var m = e.Metadata;
        insert.BindText(7, m.CorrelationId);
        insert.BindText(8, m.CausationId);
        insert.BindText(9, m.ActorId);
        if (m.Headers is { Count: > 0 } headers)
        {
            var buffer = new ArrayBufferWriter<byte>(256);
            WriteHeaders(buffer, headers);
            insert.BindUtf8(10, buffer.WrittenSpan);
        }
        else
        {
            insert.BindNull(10);
        }

        insert.Bind(11, timestamp);
    }

    /// <summary>Headers are a flat JSON object of strings, so json_extract works on them too.</summary>
    public static void WriteHeaders(IBufferWriter<byte> buffer, IReadOnlyDictionary<string, string> headers)
    {
        using var writer = new Utf8JsonWriter(buffer);
        writer.WriteStartObject();
        foreach (var (key, value) in headers)
        {
            writer.WriteString(key, value);
        }

        writer.WriteEndObject();
    }

    public static Dictionary<string, string> ReadHeaders(ReadOnlySpan<byte> json)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        var reader = new Utf8JsonReader(json);
        reader.Read();
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var key = reader.GetString()!;
            reader.Read();
            result[key] = reader.GetString() ?? string.Empty;
        }

        return result;
    }
}
