namespace Eventuali.Security.Pkcs11;

/// <summary>
/// Where the PKCS#11 key provider finds its keys: the vendor's PKCS#11 module, the token, the user PIN, and the
/// labels of the key-encryption keys and the checkpoint signing key on that token. A class, not a record, so that
/// no generated <c>ToString</c> can ever print the PIN.
/// </summary>
public sealed class Pkcs11KeyProviderOptions
{
    /// <summary>The path of the vendor's PKCS#11 module (for SoftHSM2 on Debian: <c>/usr/lib/softhsm/libsofthsm2.so</c>).</summary>
    public required string LibraryPath { get; init; }

    /// <summary>The label of the token that holds the keys.</summary>
    public required string TokenLabel { get; init; }

    /// <summary>The token's user PIN; it never appears in a message or a log.</summary>
    public required string Pin { get; init; }

    /// <summary>
    /// The labels of the AES-256 key-encryption keys that may unwrap data keys: the active one and every older one
    /// that still wraps data keys. Add a new label here on every node before promoting it.
    /// </summary>
    public IReadOnlyList<string> KeyEncryptionKeyLabels { get; init; } = [];

    /// <summary>The label of the key-encryption key that wraps new data keys; the last of <see cref="KeyEncryptionKeyLabels"/> when null.</summary>
    public string? ActiveKeyEncryptionKeyLabel { get; init; }

    /// <summary>The label of the EC P-256 key pair that signs checkpoints, or null when this provider signs nothing.</summary>
    public string? SigningKeyLabel { get; init; }

    /// <inheritdoc />
    public override string ToString() => $"PKCS#11 module '{LibraryPath}', token '{TokenLabel}'";
}
