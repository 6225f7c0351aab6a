using System.Buffers.Binary;
using System.Globalization;
using System.Text;

namespace Eventuali.Security.Encryption;

/// <summary>
/// Associated data: each part length-prefixed (4 bytes, big-endian) then UTF-8, after a purpose label, so no two
/// different lists of parts encode alike and a ciphertext made for one purpose never opens in another.
/// </summary>
internal static class AssociatedData
{
    public const string FieldPurpose = "eventuali-field/1";
    public const string SnapshotPurpose = "eventuali-snapshot/1";
    public const string DataKeyPurpose = "eventuali-dek/1";

    public static byte[] Build(params ReadOnlySpan<string> parts)
    {
        var length = 0;
        foreach (var part in parts)
        {
            length += 4 + Encoding.UTF8.GetByteCount(part);
        }

        var bytes = new byte[length];
        var at = 0;
        foreach (var part in parts)
        {
            Part(bytes, ref at, part);
        }

        return bytes;
    }

    /// <summary>What a wrapped data key is bound to: the store, the subject and the key version.</summary>
    public static byte[] ForDataKey(string storeId, string subjectId, int version)
        => Build(DataKeyPurpose, storeId, subjectId, version.ToString(CultureInfo.InvariantCulture));

    /// <summary>An upper bound of <see cref="WriteField"/>'s length for these parts.</summary>
    public static int MaxFieldLength(string storeId, string? tenant, string streamId, int fieldPathChars, string subjectId)
        => (8 * 4) + FieldPurpose.Length + 32 + 11
           + Encoding.UTF8.GetMaxByteCount(storeId.Length + (tenant?.Length ?? 0) + streamId.Length + fieldPathChars + subjectId.Length);

    /// <summary>
    /// The field associated data (purpose, store, tenant, stream, event id as 32 hex digits, field path, subject,
    /// key version) written into <paramref name="destination"/>, byte for byte what <see cref="Build"/> makes of the
    /// same parts, without a string per part: it is built once per encrypted field read or written.
    /// </summary>
    public static int WriteField(Span<byte> destination, string storeId, string? tenant, string streamId, Guid eventId, ReadOnlySpan<char> fieldPath, string subjectId, int version)
    {
        var at = 0;
        Part(destination, ref at, FieldPurpose);
        Part(destination, ref at, storeId);
        Part(destination, ref at, tenant ?? string.Empty);
        Part(destination, ref at, streamId);
        Span<char> text = stackalloc char[32];
        eventId.TryFormat(text, out var n, "N");
        Part(destination, ref at, text[..n]);
        Part(destination, ref at, fieldPath);
        Part(destination, ref at, subjectId);
        version.TryFormat(text, out n, default, CultureInfo.InvariantCulture);
        Part(destination, ref at, text[..n]);
        return at;
    }

    private static void Part(Span<byte> destination, ref int at, ReadOnlySpan<char> part)
    {
        var n = Encoding.UTF8.GetBytes(part, destination[(at + 4)..]);
        BinaryPrimitives.WriteInt32BigEndian(destination[at..], n);
        at += 4 + n;
    }
}
