using Eventuali.Security.DataKeys;

namespace Eventuali.Security.Encryption;

/// <summary>Where a ciphertext belongs: store, tenant, stream, event and subject; with a field path and key version it is the associated data.</summary>
internal readonly record struct FieldContext(string StoreId, string? Tenant, string StreamId, Guid EventId, string SubjectId)
{
    /// <summary>Associated data up to this size is built on the stack; longer (very long ids) in an array.</summary>
    public const int StackLimit = 512;

    public byte[] For(string fieldPath, int keyVersion)
    {
        var buffer = new byte[MaxLength(fieldPath.Length)];
        return buffer[..Write(buffer, fieldPath, keyVersion)];
    }

    /// <summary>An upper bound of the associated data's length for a field path of <paramref name="fieldPathChars"/> characters.</summary>
    public int MaxLength(int fieldPathChars) => AssociatedData.MaxFieldLength(StoreId, Tenant, StreamId, fieldPathChars, SubjectId);

    /// <summary>Writes the associated data of <paramref name="fieldPath"/> (same bytes as <see cref="For"/>) and returns its length.</summary>
    public int Write(Span<byte> destination, ReadOnlySpan<char> fieldPath, int keyVersion)
        => AssociatedData.WriteField(destination, StoreId, Tenant, StreamId, EventId, fieldPath, SubjectId, keyVersion);

    public EventDecryptionException Fail(DataKey? key, int version, string reason, Exception? inner = null)
        => new(StreamId, EventId, key?.Id ?? SubjectId + "/" + version.ToString(System.Globalization.CultureInfo.InvariantCulture), reason, inner);
}
