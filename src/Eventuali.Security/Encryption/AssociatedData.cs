using System.Buffers.Binary;
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
            var n = Encoding.UTF8.GetBytes(part, bytes.AsSpan(at + 4));
            BinaryPrimitives.WriteInt32BigEndian(bytes.AsSpan(at), n);
            at += 4 + n;
        }

        return bytes;
    }

    /// <summary>What a wrapped data key is bound to: the store, the subject and the key version.</summary>
    public static byte[] ForDataKey(string storeId, string subjectId, int version)
        => Build(DataKeyPurpose, storeId, subjectId, version.ToString(System.Globalization.CultureInfo.InvariantCulture));
}
