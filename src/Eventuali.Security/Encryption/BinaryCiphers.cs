using System.Buffers.Binary;
using System.Text;
using Eventuali.Security.DataKeys;
using Eventuali.Security.Keys;

namespace Eventuali.Security.Encryption;

/// <summary>
/// Whole-payload encryption for payloads that are not JSON (Protocol Buffers, binary): the stored payload is
/// <c>"EVENC1\0\0" | key version (int32, big-endian) | nonce | ciphertext | tag</c>, its content type
/// <see cref="EncryptionHeaders.EncryptedContentType"/>, and the original content type is kept in
/// <see cref="EncryptionHeaders.OriginalContentType"/> and bound into the associated data.
/// </summary>
internal static class PayloadCipher
{
    private static readonly byte[] Magic = "EVENC1\0\0"u8.ToArray();

    public static byte[] Encrypt(ReadOnlySpan<byte> payload, string contentType, DataKey key, in FieldContext context)
    {
        var output = new byte[Magic.Length + 4 + payload.Length + AesGcmBox.Overhead];
        Magic.CopyTo(output, 0);
        BinaryPrimitives.WriteInt32BigEndian(output.AsSpan(Magic.Length), key.Version);
        key.Seal(payload, context.For(Path(contentType), key.Version), output.AsSpan(Magic.Length + 4));
        return output;
    }

    /// <summary>The key version a stored payload names, or -1 when it is not an encrypted payload.</summary>
    public static int VersionOf(ReadOnlySpan<byte> stored)
        => stored.Length >= Magic.Length + 4 + AesGcmBox.Overhead && stored[..Magic.Length].SequenceEqual(Magic)
            ? BinaryPrimitives.ReadInt32BigEndian(stored[Magic.Length..])
            : -1;

    public static byte[] Decrypt(ReadOnlySpan<byte> stored, string contentType, DataKey key, in FieldContext context)
    {
        var box = stored[(Magic.Length + 4)..];
        var plain = new byte[box.Length - AesGcmBox.Overhead];
        return key.TryOpen(box, context.For(Path(contentType), key.Version), plain)
            ? plain
            : throw context.Fail(key, key.Version, "the encrypted payload does not authenticate: it was altered, truncated, or copied from another event or store.");
    }

    private static string Path(string contentType) => EncryptionHeaders.WholePayload + ":" + contentType;
}

/// <summary>
/// Snapshot encryption: a snapshot of a stream that holds personal data is sealed once per subject of the stream
/// (innermost first, in subject order), so erasing any of them makes it unreadable and the loader replays instead.
/// Layout: <c>"EVSNAP1\0" | count (uint16) | per subject: length (uint16), UTF-8 id, key version (int32) | sealed data</c>.
/// </summary>
internal static class SnapshotCipher
{
    private static readonly byte[] Magic = "EVSNAP1\0"u8.ToArray();

    public static bool IsSealed(ReadOnlySpan<byte> data) => data.Length > Magic.Length + 2 && data[..Magic.Length].SequenceEqual(Magic);

    public static byte[] Seal(ReadOnlySpan<byte> data, IReadOnlyList<DataKey> keys, Func<DataKey, byte[]> associatedData)
    {
        var inner = data.ToArray();
        foreach (var key in keys)
        {
            var next = new byte[inner.Length + AesGcmBox.Overhead];
            key.Seal(inner, associatedData(key), next);
            inner = next;
        }

        using var output = new MemoryStream();
        output.Write(Magic);
        Span<byte> n = stackalloc byte[4];
        BinaryPrimitives.WriteUInt16BigEndian(n, (ushort)keys.Count);
        output.Write(n[..2]);
        foreach (var key in keys)
        {
            var id = Encoding.UTF8.GetBytes(key.SubjectId);
            BinaryPrimitives.WriteUInt16BigEndian(n, (ushort)id.Length);
            output.Write(n[..2]);
            output.Write(id);
            BinaryPrimitives.WriteInt32BigEndian(n, key.Version);
            output.Write(n);
        }

        output.Write(inner);
        return output.ToArray();
    }

    /// <summary>The subjects and key versions a sealed snapshot names, outermost last, and where its sealed data starts; null when malformed.</summary>
    public static (List<(string Subject, int Version)> Keys, int DataStart)? ReadHeader(ReadOnlySpan<byte> data)
    {
        var at = Magic.Length;
        var count = BinaryPrimitives.ReadUInt16BigEndian(data[at..]);
        at += 2;
        var keys = new List<(string, int)>(count);
        for (var i = 0; i < count; i++)
        {
            if (data.Length < at + 2)
            {
                return null;
            }

            int length = BinaryPrimitives.ReadUInt16BigEndian(data[at..]);
            at += 2;
            if (data.Length < at + length + 4)
            {
                return null;
            }

            keys.Add((Encoding.UTF8.GetString(data.Slice(at, length)), BinaryPrimitives.ReadInt32BigEndian(data[(at + length)..])));
            at += length + 4;
        }

        return (keys, at);
    }

    /// <summary>Opens the layers outermost first; null when any layer does not authenticate.</summary>
    public static byte[]? Open(ReadOnlySpan<byte> sealedData, IReadOnlyList<DataKey> keys, Func<DataKey, byte[]> associatedData)
    {
        var current = sealedData.ToArray();
        for (var i = keys.Count - 1; i >= 0; i--)
        {
            if (current.Length < AesGcmBox.Overhead)
            {
                return null;
            }

            var plain = new byte[current.Length - AesGcmBox.Overhead];
            if (!keys[i].TryOpen(current, associatedData(keys[i]), plain))
            {
                return null;
            }

            current = plain;
        }

        return current;
    }
}
