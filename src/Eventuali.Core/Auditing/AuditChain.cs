using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace Eventuali.Auditing;

/// <summary>
/// The audit log's chain: the canonical encoding of an entry (format v1, documented in docs/audit-log.md) and its
/// hash, SHA-256 over the previous entry's hash followed by the encoding. Every field is fixed-width or prefixed by
/// its byte length, so no two distinct entries share an encoding however their field boundaries shift. Backends call
/// <see cref="Link"/> inside their write transaction; verifiers call <see cref="ComputeHash"/>.
/// </summary>
public static class AuditChain
{
    /// <summary>The length of a hash in bytes (SHA-256).</summary>
    public const int HashLength = 32;

    private static readonly byte[] Zero = new byte[HashLength];

    /// <summary>The 8-byte domain tag every encoding starts with.</summary>
    public static ReadOnlySpan<byte> Tag => "EVAUDIT1"u8;

    /// <summary>The previous hash of the first entry: 32 zero bytes.</summary>
    public static ReadOnlyMemory<byte> GenesisHash => Zero;

    /// <summary>
    /// The canonical encoding of <paramref name="record"/> at <paramref name="position"/>: the tag, then big-endian
    /// position (8 bytes), time in microseconds since the Unix epoch (8), action (4), outcome (4), event count (8),
    /// then actor, operation, stream id and error type, each as a 4-byte UTF-8 length (-1 for null) and the bytes.
    /// </summary>
    public static byte[] Encode(long position, AuditRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        string?[] texts = [record.Actor, record.Operation, record.StreamId, record.ErrorType];
        var length = Tag.Length + 8 + 8 + 4 + 4 + 8;
        foreach (var t in texts)
        {
            length += 4 + (t is null ? 0 : Encoding.UTF8.GetByteCount(t));
        }

        var buffer = new byte[length];
        var span = buffer.AsSpan();
        Tag.CopyTo(span);
        var at = Tag.Length;
        BinaryPrimitives.WriteInt64BigEndian(span[at..], position);
        BinaryPrimitives.WriteInt64BigEndian(span[(at + 8)..], ToUnixMicroseconds(record.Time));
        BinaryPrimitives.WriteInt32BigEndian(span[(at + 16)..], (int)record.Action);
        BinaryPrimitives.WriteInt32BigEndian(span[(at + 20)..], (int)record.Outcome);
        BinaryPrimitives.WriteInt64BigEndian(span[(at + 24)..], record.EventCount);
        at += 32;
        foreach (var t in texts)
        {
            if (t is null)
            {
                BinaryPrimitives.WriteInt32BigEndian(span[at..], -1);
                at += 4;
                continue;
            }

            var written = Encoding.UTF8.GetBytes(t, span[(at + 4)..]);
            BinaryPrimitives.WriteInt32BigEndian(span[at..], written);
            at += 4 + written;
        }

        return buffer;
    }

    /// <summary>SHA-256 over <paramref name="previousHash"/> followed by the encoding of <paramref name="record"/> at <paramref name="position"/>.</summary>
    public static byte[] ComputeHash(ReadOnlySpan<byte> previousHash, long position, AuditRecord record)
    {
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        sha.AppendData(previousHash);
        sha.AppendData(Encode(position, record));
        return sha.GetHashAndReset();
    }

    /// <summary>
    /// Chains <paramref name="records"/> after the head (<paramref name="headPosition"/>, <paramref name="headHash"/>;
    /// 0 and empty for an empty log): entries at the following positions, their times cut to the microsecond as stored.
    /// </summary>
    public static IReadOnlyList<AuditEntry> Link(long headPosition, ReadOnlySpan<byte> headHash, IReadOnlyList<AuditRecord> records)
    {
        ArgumentNullException.ThrowIfNull(records);
        var previous = headPosition == 0 ? Zero : headHash.ToArray();
        var entries = new AuditEntry[records.Count];
        for (var i = 0; i < entries.Length; i++)
        {
            var record = Normalize(records[i]);
            var position = headPosition + i + 1;
            var hash = ComputeHash(previous, position, record);
            entries[i] = new AuditEntry(position, record, previous, hash);
            previous = hash;
        }

        return entries;
    }

    /// <summary>The record as stored: its time in UTC, cut to the microsecond.</summary>
    public static AuditRecord Normalize(AuditRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        return record with { Time = FromUnixMicroseconds(ToUnixMicroseconds(record.Time)) };
    }

    /// <summary>Microseconds since the Unix epoch (the stored form of an entry's time).</summary>
    public static long ToUnixMicroseconds(DateTimeOffset time) => (time.UtcTicks - DateTimeOffset.UnixEpoch.Ticks) / 10;

    /// <summary>The time <paramref name="micros"/> microseconds after the Unix epoch, in UTC.</summary>
    public static DateTimeOffset FromUnixMicroseconds(long micros) => new(DateTimeOffset.UnixEpoch.Ticks + (micros * 10), TimeSpan.Zero);
}
