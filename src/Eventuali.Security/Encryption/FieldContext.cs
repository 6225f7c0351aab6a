using Eventuali.Security.DataKeys;

namespace Eventuali.Security.Encryption;

/// <summary>Where a ciphertext belongs: store, tenant, stream, event and subject; with a field path and key version it is the associated data.</summary>
internal readonly record struct FieldContext(string StoreId, string? Tenant, string StreamId, Guid EventId, string SubjectId)
{
    public byte[] For(string fieldPath, int keyVersion)
        => AssociatedData.Build(AssociatedData.FieldPurpose, StoreId, Tenant ?? string.Empty, StreamId, EventId.ToString("N"), fieldPath, SubjectId,
            keyVersion.ToString(System.Globalization.CultureInfo.InvariantCulture));

    public EventDecryptionException Fail(DataKey? key, int version, string reason, Exception? inner = null)
        => new(StreamId, EventId, key?.Id ?? SubjectId + "/" + version.ToString(System.Globalization.CultureInfo.InvariantCulture), reason, inner);
}
