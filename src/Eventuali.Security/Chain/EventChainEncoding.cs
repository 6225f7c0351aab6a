using System.Buffers;
using System.Buffers.Binary;
using System.Text;

namespace Eventuali.Security.Chain;

/// <summary>
/// The canonical, length-prefixed encoding of a stored event that the tamper-evident log hashes (format v1,
/// documented in docs/security.md). Every field is either fixed-width or prefixed by its byte length, so no two
/// distinct events share an encoding however their field boundaries shift. It covers the stored bytes only
/// (ciphertext of encrypted fields included), so it is unchanged when a data key is destroyed.
/// </summary>
public static class EventChainEncoding
{
    /// <summary>The 8-byte domain tag every encoding starts with.</summary>
    public static ReadOnlySpan<byte> Tag => "EVCHAIN1"u8;

    /// <summary>The encoding of <paramref name="recorded"/> as a new array (the hashing path writes into a reused buffer instead).</summary>
    public static byte[] Encode(RecordedEvent recorded)
    {
        var buffer = Array.Empty<byte>();
        var headers = new List<KeyValuePair<string, string>>();
        var length = Write(recorded, ref buffer, headers, pooled: false, prefix: 0);
        return buffer.AsSpan(0, length).ToArray();
    }

    /// <summary>
    /// Writes the encoding into <paramref name="buffer"/> after <paramref name="prefix"/> bytes left for the caller
    /// (grown when too small, keeping the prefix; returned to the shared pool when <paramref name="pooled"/>) and
    /// returns the prefix plus the encoding's length. <paramref name="headerScratch"/> is reused for sorting headers.
    /// </summary>
    internal static int Write(RecordedEvent recorded, ref byte[] buffer, List<KeyValuePair<string, string>> headerScratch, bool pooled, int prefix)
    {
        ArgumentNullException.ThrowIfNull(recorded);
        var metadata = recorded.Metadata ?? EventMetadata.Empty;
        headerScratch.Clear();
        if (metadata.Headers is { Count: > 0 } headers)
        {
            headerScratch.AddRange(headers);
            headerScratch.Sort(static (a, b) => string.CompareOrdinal(a.Key, b.Key));
        }

        var max = prefix + Tag.Length + (8 * 3) + 16 + (4 * 5) + recorded.Data.Length + (3 * 5)
            + MaxUtf8(recorded.StreamId) + MaxUtf8(recorded.EventType) + MaxUtf8(recorded.ContentType)
            + MaxUtf8(metadata.CorrelationId) + MaxUtf8(metadata.CausationId) + MaxUtf8(metadata.ActorId);
        foreach (var (key, value) in headerScratch)
        {
            max += 8 + MaxUtf8(key) + MaxUtf8(value);
        }

        if (buffer.Length < max)
        {
            var grown = pooled ? ArrayPool<byte>.Shared.Rent(Math.Max(max, 4096)) : new byte[max];
            buffer.AsSpan(0, Math.Min(prefix, buffer.Length)).CopyTo(grown);
            if (pooled && buffer.Length > 0)
            {
                ArrayPool<byte>.Shared.Return(buffer);
            }

            buffer = grown;
        }

        var span = buffer.AsSpan();
        Tag.CopyTo(span[prefix..]);
        var at = prefix + Tag.Length;
        Int64(span, ref at, recorded.Position);
        String(span, ref at, recorded.StreamId);
        Int64(span, ref at, recorded.StreamVersion);
        recorded.EventId.TryWriteBytes(span[at..], bigEndian: true, out _);
        at += 16;
        String(span, ref at, recorded.EventType);
        String(span, ref at, recorded.ContentType);
        Length(span, ref at, recorded.Data.Length);
        recorded.Data.Span.CopyTo(span[at..]);
        at += recorded.Data.Length;
        Optional(span, ref at, metadata.CorrelationId);
        Optional(span, ref at, metadata.CausationId);
        Optional(span, ref at, metadata.ActorId);
        Length(span, ref at, headerScratch.Count);
        foreach (var (key, value) in headerScratch)
        {
            String(span, ref at, key);
            String(span, ref at, value);
        }

        Int64(span, ref at, UnixMicroseconds(recorded.Timestamp));
        return at;
    }

    /// <summary>The time as microseconds since the Unix epoch (UTC): the precision every store keeps.</summary>
    public static long UnixMicroseconds(DateTimeOffset time) => (time.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks) / 10;

    private static int MaxUtf8(string? s) => s is null ? 0 : Encoding.UTF8.GetMaxByteCount(s.Length);

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

    private static void String(Span<byte> span, ref int at, string value)
    {
        var written = Encoding.UTF8.GetBytes(value, span[(at + 4)..]);
        Length(span, ref at, written);
        at += written;
    }

    // Absent and empty differ: one presence byte before the length-prefixed value.
    private static void Optional(Span<byte> span, ref int at, string? value)
    {
        span[at++] = value is null ? (byte)0 : (byte)1;
        if (value is not null)
        {
            String(span, ref at, value);
        }
    }
}
