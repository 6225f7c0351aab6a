using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using System.Text.Unicode;
using System.Text;
using Eventuali.Integrity;

namespace Eventuali.Security.Chain;

/// <summary>
/// The canonical, length-prefixed encoding of a stored event that the tamper-evident log hashes (format v1,
/// documented in docs/tamper-evident-log.md). Every field is either fixed-width or prefixed by its byte length, so no
/// two distinct events share an encoding however their field boundaries shift. It covers the stored bytes only
/// (ciphertext of encrypted fields included), so it is unchanged when a data key is destroyed. Written once, from an
/// <see cref="EventChainRow"/>: a backend's row read for verification gives one directly, a
/// <see cref="RecordedEvent"/> is turned into one (<see cref="EventChainRowScratch"/>).
/// </summary>
public static class EventChainEncoding
{
    // The range a DateTimeOffset holds: what an ordinary read can turn a stored timestamp into.
    private static readonly long MaxMicroseconds = (DateTime.MaxValue.Ticks - DateTimeOffset.UnixEpoch.UtcTicks) / 10;
    private static readonly long MinMicroseconds = -DateTimeOffset.UnixEpoch.UtcTicks / 10;

    /// <summary>The 8-byte domain tag every encoding starts with.</summary>
    public static ReadOnlySpan<byte> Tag => "EVCHAIN1"u8;

    /// <summary>The encoding of <paramref name="recorded"/> as a new array (the hashing paths write into reused buffers instead).</summary>
    public static byte[] Encode(RecordedEvent recorded)
    {
        var scratch = new EventChainRowScratch();
        var headers = new List<KeyValuePair<string, string>>();
        var row = scratch.From(recorded);
        var buffer = new byte[MaxLength(row, headers)];
        return buffer.AsSpan(0, Write(row, headers, buffer)).ToArray();
    }

    /// <summary>The time as microseconds since the Unix epoch (UTC): the precision every store keeps.</summary>
    public static long UnixMicroseconds(DateTimeOffset time) => (time.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks) / 10;

    /// <summary>
    /// An upper bound of the encoding's length; fills <paramref name="sortedHeaders"/> with the row's headers sorted
    /// by key (ordinal), ready for <see cref="Write"/>.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static int MaxLength(in EventChainRow row, List<KeyValuePair<string, string>> sortedHeaders)
    {
        sortedHeaders.Clear();
        if (row.Headers is { Count: > 0 } headers)
        {
            sortedHeaders.AddRange(headers);
            sortedHeaders.Sort(static (a, b) => string.CompareOrdinal(a.Key, b.Key));
        }

        var max = Tag.Length + (8 * 3) + 16 + (4 * 5) + row.Data.Length + (3 * 5)
            + MaxText(row.StreamId) + MaxText(row.EventType) + MaxText(row.ContentType)
            + MaxText(row.CorrelationId) + MaxText(row.CausationId) + MaxText(row.ActorId);
        foreach (var (key, value) in sortedHeaders)
        {
            max += 8 + Encoding.UTF8.GetMaxByteCount(key.Length) + Encoding.UTF8.GetMaxByteCount(value.Length);
        }

        return max;
    }

    /// <summary>
    /// Writes the encoding of <paramref name="row"/> (which must hold an event) into <paramref name="span"/> (at least
    /// <see cref="MaxLength"/> bytes, whose call sorted <paramref name="sortedHeaders"/>) and returns its length.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static int Write(in EventChainRow row, List<KeyValuePair<string, string>> sortedHeaders, Span<byte> span)
    {
        if (row.EventId.Length != 16)
        {
            throw new InvalidDataException($"The stored event at position {row.Position} has an event id of {row.EventId.Length} bytes, not 16.");
        }

        if (row.TimestampMicroseconds < MinMicroseconds || row.TimestampMicroseconds > MaxMicroseconds)
        {
            throw new InvalidDataException($"The stored event at position {row.Position} has a timestamp outside the representable range.");
        }

        Tag.CopyTo(span);
        var at = Tag.Length;
        Int64(span, ref at, row.Position);
        Text(span, ref at, row.StreamId);
        Int64(span, ref at, row.StreamVersion);
        row.EventId.CopyTo(span[at..]);
        at += 16;
        Text(span, ref at, row.EventType);
        Text(span, ref at, row.ContentType);
        Length(span, ref at, row.Data.Length);
        row.Data.CopyTo(span[at..]);
        at += row.Data.Length;
        Optional(span, ref at, row.HasCorrelationId, row.CorrelationId);
        Optional(span, ref at, row.HasCausationId, row.CausationId);
        Optional(span, ref at, row.HasActorId, row.ActorId);
        Length(span, ref at, sortedHeaders.Count);
        foreach (var (key, value) in sortedHeaders)
        {
            String(span, ref at, key);
            String(span, ref at, value);
        }

        Int64(span, ref at, row.TimestampMicroseconds);
        return at;
    }

    /// <summary>The stream id, version and event id of an encoding (for the message of a finding).</summary>
    internal static (string StreamId, long Version, Guid EventId) Describe(ReadOnlySpan<byte> encoding)
    {
        var at = Tag.Length + 8;
        var length = (int)BinaryPrimitives.ReadUInt32BigEndian(encoding[at..]);
        var stream = Encoding.UTF8.GetString(encoding.Slice(at + 4, length));
        at += 4 + length;
        var version = BinaryPrimitives.ReadInt64BigEndian(encoding[at..]);
        return (stream, version, new Guid(encoding.Slice(at + 8, 16), bigEndian: true));
    }

    // Invalid UTF-8 (possible only in rows written behind the store's back) becomes what a reader decodes it to.
    private static int MaxText(ReadOnlySpan<byte> utf8) => utf8.Length * 3;

    private static void Int64(Span<byte> span, ref int at, long value)
    {
        BinaryPrimitives.WriteInt64BigEndian(span[at..], value);
        at += 8;
    }

    private static void Length(Span<byte> span, ref int at, int length)
    {
        BinaryPrimitives.WriteUInt32BigEndian(span[at..], checked((uint)length));
        at += 4;
    }

    // Text as a reader sees it: valid UTF-8 as is (the usual case, no decoding), anything else through the decoder.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Text(Span<byte> span, ref int at, ReadOnlySpan<byte> utf8)
    {
        if (Utf8.IsValid(utf8))
        {
            Length(span, ref at, utf8.Length);
            utf8.CopyTo(span[at..]);
            at += utf8.Length;
        }
        else
        {
            String(span, ref at, Encoding.UTF8.GetString(utf8));
        }
    }

    private static void String(Span<byte> span, ref int at, string value)
    {
        var written = Encoding.UTF8.GetBytes(value, span[(at + 4)..]);
        Length(span, ref at, written);
        at += written;
    }

    // Absent and empty differ: one presence byte before the length-prefixed value.
    private static void Optional(Span<byte> span, ref int at, bool present, ReadOnlySpan<byte> utf8)
    {
        span[at++] = present ? (byte)1 : (byte)0;
        if (present)
        {
            Text(span, ref at, utf8);
        }
    }
}
