using System.Collections.Concurrent;
using System.Text;
using Npgsql;

namespace Eventuali.PostgreSql;

/// <summary>One events row as read, before its stream name is known (reads of the log see stream ids only).</summary>
internal readonly record struct EventRow(
    long Position, long StreamId, long Version, Guid EventId, string EventType, string ContentType, byte[] Data,
    string? CorrelationId, string? CausationId, string? ActorId, string? Headers, DateTime Timestamp)
{
    /// <summary>Reads the columns every event query selects, in their order.</summary>
    public static EventRow Read(NpgsqlDataReader r, StringCache strings) => new(
        r.GetInt64(0),
        r.GetInt64(1),
        r.GetInt64(2),
        r.GetGuid(3),
        strings.Get(r, 4),
        r.IsDBNull(5) ? ContentTypes.Json : strings.Intern(r.GetString(5)),
        r.GetFieldValue<byte[]>(r.IsDBNull(6) ? 7 : 6), // jsonb arrives as its UTF-8 text; bytea as is
        r.IsDBNull(8) ? null : r.GetString(8),
        r.IsDBNull(9) ? null : r.GetString(9),
        r.IsDBNull(10) ? null : r.GetString(10),
        r.IsDBNull(11) ? null : r.GetString(11),
        r.GetFieldValue<DateTime>(12));

    public RecordedEvent ToRecorded(string streamName)
    {
        var metadata = CorrelationId is null && CausationId is null && ActorId is null && Headers is null
            ? EventMetadata.Empty
            : new EventMetadata(CorrelationId, CausationId, ActorId, HeadersJson.Read(Headers));
        return new RecordedEvent(streamName, Version, Position, EventId, EventType, Data, metadata,
            new DateTimeOffset(DateTime.SpecifyKind(Timestamp, DateTimeKind.Utc)), ContentType);
    }
}

/// <summary>Keeps one instance of each repeated string (event types, content types) so reads share them.</summary>
internal sealed class StringCache
{
    private const int Limit = 10_000;
    private const int MaxCachedBytes = 256;
    private readonly ConcurrentDictionary<string, string> _strings = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, string>.AlternateLookup<ReadOnlySpan<char>> _bySpan;
    [ThreadStatic]
    private static byte[]? t_scratch;

    public StringCache() => _bySpan = _strings.GetAlternateLookup<ReadOnlySpan<char>>();

    /// <summary>A text column sent as UTF-8 bytes (bytea), returned as a shared string without allocating when seen before.</summary>
    public string Get(NpgsqlDataReader r, int ordinal)
    {
        var length = (int)r.GetBytes(ordinal, 0, null, 0, 0);
        if (length > MaxCachedBytes)
        {
            return Encoding.UTF8.GetString(r.GetFieldValue<byte[]>(ordinal));
        }

        var bytes = t_scratch ??= new byte[MaxCachedBytes];
        r.GetBytes(ordinal, 0, bytes, 0, length);
        Span<char> chars = stackalloc char[MaxCachedBytes];
        var n = Encoding.UTF8.GetChars(bytes.AsSpan(0, length), chars);
        if (_bySpan.TryGetValue(chars[..n], out var known))
        {
            return known;
        }

        return Intern(new string(chars[..n]));
    }

    public string Intern(string s)
    {
        if (_strings.TryGetValue(s, out var known))
        {
            return known;
        }

        if (_strings.Count < Limit)
        {
            _strings.TryAdd(s, s);
        }

        return s;
    }
}

/// <summary>Stream names by id (names never change once a stream exists); bounded so memory stays flat.</summary>
internal sealed class StreamNameCache
{
    private const int Limit = 200_000;
    private readonly ConcurrentDictionary<long, string> _names = new();

    public bool TryGet(long id, out string name) => _names.TryGetValue(id, out name!);

    public void Add(long id, string name)
    {
        if (_names.Count >= Limit)
        {
            _names.Clear();
        }

        _names[id] = name;
    }
}
