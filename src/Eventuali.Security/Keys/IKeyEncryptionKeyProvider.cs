namespace Eventuali.Security.Keys;

/// <summary>
/// Holds the key-encryption keys (KEKs) that wrap each data subject's data key. Key material never leaves the
/// provider except as a wrapped data key: a local key file, a PKCS#11 token, or a cloud key service. Rotation is
/// add-then-promote: a new KEK is added, then made active; older KEKs stay usable for unwrapping until every data
/// key has been re-wrapped.
/// </summary>
public interface IKeyEncryptionKeyProvider
{
    /// <summary>A short name for messages and reports ("local key file", "PKCS#11", "AWS KMS"...), never a secret.</summary>
    string Name { get; }

    /// <summary>The id of the KEK that wraps new data keys.</summary>
    ValueTask<string> GetActiveKeyIdAsync(CancellationToken cancellationToken = default);

    /// <summary>
    /// Wraps <paramref name="dataKey"/> with KEK <paramref name="keyId"/>, binding <paramref name="associatedData"/>
    /// (which the caller must pass again to unwrap). Throws <see cref="KeyProviderException"/> when the key is
    /// unknown or the provider unreachable.
    /// </summary>
    ValueTask<byte[]> WrapAsync(string keyId, ReadOnlyMemory<byte> dataKey, ReadOnlyMemory<byte> associatedData, CancellationToken cancellationToken = default);

    /// <summary>
    /// Unwraps a data key wrapped by <see cref="WrapAsync"/>. Throws <see cref="KeyProviderException"/> when the key
    /// is unknown, the provider unreachable, or the wrapped bytes or associated data do not match.
    /// </summary>
    ValueTask<byte[]> UnwrapAsync(string keyId, ReadOnlyMemory<byte> wrappedKey, ReadOnlyMemory<byte> associatedData, CancellationToken cancellationToken = default);
}
