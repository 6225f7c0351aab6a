using System.Text;
using System.Text.Json;
using global::Parquet;
using global::Parquet.Schema;

namespace Eventuali.Parquet;

/// <summary>
/// The columns of an exported event and a buffer of one row group of them. Partition values (date, category) are
/// not columns: they are in the directory names, as Hive-partitioned readers expect.
/// </summary>
internal sealed class EventColumns
{
    public static readonly DataField<long> Position = new("position", false);
    public static readonly DataField<string> StreamId = new("stream_id", false);
    public static readonly DataField<long> StreamVersion = new("stream_version", false);
    public static readonly DataField<string> EventId = new("event_id", false);
    public static readonly DataField<string> EventType = new("event_type", false);
    public static readonly DateTimeDataField Timestamp = new("timestamp", DateTimeFormat.Timestamp, isAdjustedToUTC: true, unit: DateTimeTimeUnit.Micros, isNullable: false);
    public static readonly DataField<string> ContentType = new("content_type", false);
    public static readonly DataField<string> Data = new("data", false);
    public static readonly DataField<string> CorrelationId = new("correlation_id", true);
    public static readonly DataField<string> CausationId = new("causation_id", true);
    public static readonly DataField<string> ActorId = new("actor_id", true);
    public static readonly DataField<string> Headers = new("headers", true);

    public static readonly ParquetSchema Schema = new(
        Position, StreamId, StreamVersion, EventId, EventType, Timestamp, ContentType, Data, CorrelationId, CausationId, ActorId, Headers);

    private readonly long[] _position;
    private readonly string[] _streamId;
    private readonly long[] _streamVersion;
    private readonly string[] _eventId;
    private readonly string[] _eventType;
    private readonly DateTime[] _timestamp;
    private readonly string[] _contentType;
    private readonly string[] _data;
    private readonly string?[] _correlationId;
    private readonly string?[] _causationId;
    private readonly string?[] _actorId;
    private readonly string?[] _headers;

    public EventColumns(int capacity)
    {
        _position = new long[capacity];
        _streamId = new string[capacity];
        _streamVersion = new long[capacity];
        _eventId = new string[capacity];
        _eventType = new string[capacity];
        _timestamp = new DateTime[capacity];
        _contentType = new string[capacity];
        _data = new string[capacity];
        _correlationId = new string?[capacity];
        _causationId = new string?[capacity];
        _actorId = new string?[capacity];
        _headers = new string?[capacity];
    }

    public int Count { get; private set; }

    public bool IsFull => Count == _position.Length;

    public void Add(RecordedEvent e)
    {
        var i = Count++;
        _position[i] = e.Position;
        _streamId[i] = e.StreamId;
        _streamVersion[i] = e.StreamVersion;
        _eventId[i] = e.EventId.ToString("D");
        _eventType[i] = e.EventType;
        _timestamp[i] = e.Timestamp.UtcDateTime;
        _contentType[i] = e.ContentType;
        _data[i] = DataText(e);
        _correlationId[i] = e.Metadata.CorrelationId;
        _causationId[i] = e.Metadata.CausationId;
        _actorId[i] = e.Metadata.ActorId;
        _headers[i] = e.Metadata.Headers is { Count: > 0 } h ? HeadersJson(h) : null;
    }

    /// <summary>Writes the buffered rows as one row group and empties the buffer.</summary>
    public async Task FlushAsync(ParquetWriter writer, CancellationToken ct)
    {
        if (Count == 0)
        {
            return;
        }

        var n = Count;
        using (var group = writer.CreateRowGroup())
        {
            await group.WriteAsync(Position, new ReadOnlyMemory<long>(_position, 0, n), null, null, ct).ConfigureAwait(false);
            await group.WriteAsync(StreamId, new ArraySegment<string>(_streamId, 0, n)).ConfigureAwait(false);
            await group.WriteAsync(StreamVersion, new ReadOnlyMemory<long>(_streamVersion, 0, n), null, null, ct).ConfigureAwait(false);
            await group.WriteAsync(EventId, new ArraySegment<string>(_eventId, 0, n)).ConfigureAwait(false);
            await group.WriteAsync(EventType, new ArraySegment<string>(_eventType, 0, n)).ConfigureAwait(false);
            await group.WriteAsync(Timestamp, new ReadOnlyMemory<DateTime>(_timestamp, 0, n), null, null, ct).ConfigureAwait(false);
            await group.WriteAsync(ContentType, new ArraySegment<string>(_contentType, 0, n)).ConfigureAwait(false);
            await group.WriteAsync(Data, new ArraySegment<string>(_data, 0, n)).ConfigureAwait(false);
            await group.WriteAsync(CorrelationId, new ArraySegment<string>(_correlationId!, 0, n)).ConfigureAwait(false);
            await group.WriteAsync(CausationId, new ArraySegment<string>(_causationId!, 0, n)).ConfigureAwait(false);
            await group.WriteAsync(ActorId, new ArraySegment<string>(_actorId!, 0, n)).ConfigureAwait(false);
            await group.WriteAsync(Headers, new ArraySegment<string>(_headers!, 0, n)).ConfigureAwait(false);
        }

        Array.Clear(_streamId, 0, n);
        Array.Clear(_data, 0, n);
        Array.Clear(_headers, 0, n);
        Count = 0;
    }

    /// <summary>JSON and other text payloads as their text; binary payloads (e.g. protobuf) as base64.</summary>
    internal static string DataText(RecordedEvent e)
        => e.ContentType.StartsWith("application/json", StringComparison.OrdinalIgnoreCase) || e.ContentType.StartsWith("text/", StringComparison.OrdinalIgnoreCase)
            ? Encoding.UTF8.GetString(e.Data.Span)
            : Convert.ToBase64String(e.Data.Span);

    private static string HeadersJson(IReadOnlyDictionary<string, string> headers)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            foreach (var (key, value) in headers.OrderBy(h => h.Key, StringComparer.Ordinal))
            {
                json.WriteString(key, value);
            }

            json.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
    }
}
