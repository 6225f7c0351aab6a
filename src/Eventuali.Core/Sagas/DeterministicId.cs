using System.Security.Cryptography;
using System.Text;

namespace Eventuali.Sagas;

/// <summary>
/// Name-based UUIDs (RFC 9562 version 5, SHA-1): the same inputs always give the same id, so an event a saga
/// appends again after a crash carries the id it had the first time and the store's idempotent retry writes nothing.
/// </summary>
public static class DeterministicId
{
    /// <summary>The namespace of saga-produced ids (a fixed, random UUID).</summary>
    public static readonly Guid SagaNamespace = new("5b0e6c5e-93d4-4c4b-a4f0-6a1c2f7d8e31");

    /// <summary>A version-5 UUID of <paramref name="name"/> within <paramref name="namespaceId"/>.</summary>
    public static Guid Create(Guid namespaceId, string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        var nameBytes = Encoding.UTF8.GetBytes(name);
        var input = new byte[16 + nameBytes.Length];
        namespaceId.TryWriteBytes(input, bigEndian: true, out _);
        nameBytes.CopyTo(input, 16);
#pragma warning disable CA5350 // SHA-1 is what RFC 9562 specifies for version 5; it names, it does not protect.
        Span<byte> hash = stackalloc byte[SHA1.HashSizeInBytes];
        SHA1.HashData(input, hash);
#pragma warning restore CA5350
        var uuid = hash[..16];
        uuid[6] = (byte)((uuid[6] & 0x0F) | 0x50);
        uuid[8] = (byte)((uuid[8] & 0x3F) | 0x80);
        return new Guid(uuid, bigEndian: true);
    }

    /// <summary>
    /// The id of the <paramref name="index"/>-th event saga <paramref name="sagaName"/> produces in reaction to
    /// <paramref name="sourceId"/> (the triggering event's id, or a timeout's id).
    /// </summary>
    public static Guid ForSaga(string sagaName, Guid sourceId, int index)
    {
        ArgumentException.ThrowIfNullOrEmpty(sagaName);
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        Span<byte> source = stackalloc byte[16];
        sourceId.TryWriteBytes(source, bigEndian: true, out _);
        var name = string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{sagaName}\n{Convert.ToHexStringLower(source)}\n{index}");
        return Create(SagaNamespace, name);
    }
}
