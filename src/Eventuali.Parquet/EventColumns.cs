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
    // Text, not Parquet's UUID type: Spark (through 4.0) refuses UUID-annotated columns ("Illegal Parquet type").
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
    private readonly ReadOnlyMemory<char>[] _streamId;
    private readonly long[] _streamVersion;
    private readonly ReadOnlyMemory<char>[] _eventId;
    private readonly ReadOnlyMemory<char>[] _eventType;
    private readonly DateTime[] _timestamp;
    private readonly ReadOnlyMemory<char>[] _contentType;
    private readonly ReadOnlyMemory<char>[] _data;
    private readonly ReadOnlyMemory<char>?[] _correlationId;
    private readonly ReadOnlyMemory<char>?[] _causationId;
    private readonly ReadOnlyMemory<char>?[] _actorId;
    private readonly ReadOnlyMemory<char>?[] _headers;
    private readonly CharChunks _text = new();

    public EventColumns(int capacity)
    {
        _position = new long[capacity];
        _streamId = new ReadOnlyMemory<char>[capacity];
        _streamVersion = new long[capacity];
        _eventId = new ReadOnlyMemory<char>[capacity];
        _eventType = new ReadOnlyMemory<char>[capacity];
        _timestamp = new DateTime[capacity];
        _contentType = new ReadOnlyMemory<char>[capacity];
        _data = new ReadOnlyMemory<char>[capacity];
        _correlationId = new ReadOnlyMemory<char>?[capacity];
        _causationId = new ReadOnlyMemory<char>?[capacity];
        _actorId = new ReadOnlyMemory<char>?[capacity];
        _headers = new ReadOnlyMemory<char>?[capacity];
    }

    public int Count { get; private set; }

    public bool IsFull => Count == _position.Length;

    public void Add(RecordedEvent e)
    {
        var i = Count++;
        _position[i] = e.Position;
        _streamId[i] = e.StreamId.AsMemory();
        _streamVersion[i] = e.StreamVersion;
        var id = _text.Reserve(36);
        e.EventId.TryFormat(id, out var idLength, "D");
        _eventId[i] = _text.Commit(idLength);
        _eventType[i] = e.EventType.AsMemory();
        _timestamp[i] = e.Timestamp.UtcDateTime;
        _contentType[i] = e.ContentType.AsMemory();
        _data[i] = DataText(e, _text);
        _correlationId[i] = e.Metadata.CorrelationId?.AsMemory();
        _causationId[i] = e.Metadata.CausationId?.AsMemory();
        _actorId[i] = e.Metadata.ActorId?.AsMemory();
        _headers[i] = e.Metadata.Headers is { Count: > 0 } h ? HeadersJson(h).AsMemory() : null;
    }

    /// <summary>Writes the buffered rows as one row group and empties the buffer.</summary>
    public async Task FlushAsync(ParquetWriter writer, CancellationToken ct)
    {
        if (Count == 0)
        {
            return;
        }

        await WriteOnlyAsync(writer, ct).ConfigureAwait(false);
        Clear();
    }

    /// <summary>Writes the buffered rows as one row group.</summary>
    public async Task WriteOnlyAsync(ParquetWriter writer, CancellationToken ct)
    {
        var n = Count;
        using (var group = writer.CreateRowGroup())
        {
            await group.WriteAsync(Position, new ReadOnlyMemory<long>(_position, 0, n), null, null, ct).ConfigureAwait(false);
            await Text(group, StreamId, _streamId, n, ct).ConfigureAwait(false);
            await group.WriteAsync(StreamVersion, new ReadOnlyMemory<long>(_streamVersion, 0, n), null, null, ct).ConfigureAwait(false);
            await Text(group, EventId, _eventId, n, ct).ConfigureAwait(false);
            await Text(group, EventType, _eventType, n, ct).ConfigureAwait(false);
            await group.WriteAsync(Timestamp, new ReadOnlyMemory<DateTime>(_timestamp, 0, n), null, null, ct).ConfigureAwait(false);
            await Text(group, ContentType, _contentType, n, ct).ConfigureAwait(false);
            await Text(group, Data, _data, n, ct).ConfigureAwait(false);
            await group.WriteAsync(CorrelationId, new ReadOnlyMemory<ReadOnlyMemory<char>?>(_correlationId, 0, n), null, null, ct).ConfigureAwait(false);
            await group.WriteAsync(CausationId, new ReadOnlyMemory<ReadOnlyMemory<char>?>(_causationId, 0, n), null, null, ct).ConfigureAwait(false);
            await group.WriteAsync(ActorId, new ReadOnlyMemory<ReadOnlyMemory<char>?>(_actorId, 0, n), null, null, ct).ConfigureAwait(false);
            await group.WriteAsync(Headers, new ReadOnlyMemory<ReadOnlyMemory<char>?>(_headers, 0, n), null, null, ct).ConfigureAwait(false);
        }
    }

    /// <summary>Empties the buffer.</summary>
    public void Clear()
    {
        var n = Count;

        // Drop the references to this group's strings so they do not outlive it.
        Array.Clear(_streamId, 0, n);
        Array.Clear(_eventType, 0, n);
        Array.Clear(_contentType, 0, n);
        Array.Clear(_correlationId, 0, n);
        Array.Clear(_causationId, 0, n);
        Array.Clear(_actorId, 0, n);
        Array.Clear(_headers, 0, n);
        _text.Reset();
        Count = 0;
    }

    private static Task Text(ParquetRowGroupWriter group, DataField field, ReadOnlyMemory<char>[] values, int n, CancellationToken ct)
        => group.WriteAsync(field, new ReadOnlyMemory<ReadOnlyMemory<char>>(values, 0, n), null, null, ct);

    /// <summary>JSON and other text payloads as their text; binary payloads (e.g. protobuf) as base64.</summary>
    private static ReadOnlyMemory<char> DataText(RecordedEvent e, CharChunks text)
    {
        var bytes = e.Data.Span;
        if (e.ContentType.StartsWith("application/json", StringComparison.OrdinalIgnoreCase) || e.ContentType.StartsWith("text/", StringComparison.OrdinalIgnoreCase))
        {
            return text.Commit(Encoding.UTF8.GetChars(bytes, text.Reserve(Encoding.UTF8.GetMaxCharCount(bytes.Length))));
        }

        var room = text.Reserve(((bytes.Length + 2) / 3) * 4);
        Convert.TryToBase64Chars(bytes, room, out var written);
        return text.Commit(written);
    }

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
