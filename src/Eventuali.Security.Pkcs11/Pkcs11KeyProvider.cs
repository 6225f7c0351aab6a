using System.Security.Cryptography;
using Eventuali.Security.Keys;
using Net.Pkcs11Interop.Common;
using Net.Pkcs11Interop.HighLevelAPI;

namespace Eventuali.Security.Pkcs11;

/// <summary>
/// Keeps the key-encryption keys and the checkpoint signing key on a PKCS#11 token (an HSM, a smart card or
/// SoftHSM2): key material never leaves the token. Data keys are wrapped with CKM_AES_GCM on the token (a fresh
/// random 96-bit IV, the associated data as GCM AAD, a 128-bit tag), stored as IV | ciphertext | tag. Checkpoints are
/// signed with CKM_ECDSA over a SHA-256 digest, giving the 64-byte IEEE P1363 signature. Key ids are the key labels.
/// </summary>
public sealed class Pkcs11KeyProvider : IKeyEncryptionKeyProvider, ICheckpointSigner
{
    private const int IvSize = 12;
    private const int TagBits = 128;

    // DER of the named curve P-256 (OID 1.2.840.10045.3.1.7), as CKA_EC_PARAMS wants it.
    // Creating token objects one at a time: SoftHSM2's file-backed object store fails (CKR_GENERAL_ERROR) when several
    // sessions of one process create objects at once, and the taken-label check must not race another creation.
    private static readonly Lock KeyCreation = new();
    private static readonly byte[] P256Params = [0x06, 0x08, 0x2A, 0x86, 0x48, 0xCE, 0x3D, 0x03, 0x01, 0x07];

    private readonly TokenConnection _token;
    private readonly HashSet<string> _kekLabels;

    private Pkcs11KeyProvider(TokenConnection token, Pkcs11KeyProviderOptions options, string activeLabel)
    {
        _token = token;
        _kekLabels = new HashSet<string>(options.KeyEncryptionKeyLabels, StringComparer.Ordinal);
        ActiveKeyId = activeLabel;
        SigningKeyId = options.SigningKeyLabel ?? "";
    }

    /// <inheritdoc />
    public string Name => "PKCS#11";

    /// <summary>The label of the key-encryption key that wraps new data keys ("" when none is configured).</summary>
    public string ActiveKeyId { get; }

    /// <inheritdoc />
    public string SigningKeyId { get; }

    /// <summary>
    /// Loads the module, finds the token and logs in. Throws <see cref="KeyProviderException"/> when the module cannot
    /// be loaded, no initialised token has the label, or the PIN is refused; the PIN never appears in a message.
    /// </summary>
    public static Pkcs11KeyProvider Open(Pkcs11KeyProviderOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentException.ThrowIfNullOrWhiteSpace(options.LibraryPath);
        ArgumentException.ThrowIfNullOrWhiteSpace(options.TokenLabel);
        ArgumentNullException.ThrowIfNull(options.Pin);
        var active = options.ActiveKeyEncryptionKeyLabel ?? (options.KeyEncryptionKeyLabels.Count > 0 ? options.KeyEncryptionKeyLabels[^1] : "");
        if (active.Length > 0 && !options.KeyEncryptionKeyLabels.Contains(active))
        {
            throw new KeyProviderException($"The active key-encryption key '{active}' is not among the configured labels; add it to KeyEncryptionKeyLabels.", active);
        }

        try
        {
            return new Pkcs11KeyProvider(TokenConnection.Open(options.LibraryPath, options.TokenLabel, options.Pin), options, active);
        }
        catch (Pkcs11Exception e)
        {
            throw new KeyProviderException($"PKCS#11 module '{options.LibraryPath}' failed to open token '{options.TokenLabel}' ({e.RV}).", innerException: e);
        }
    }

    /// <summary>
    /// Generates a new AES-256 key-encryption key on the token, sensitive and not extractable, labelled
    /// <paramref name="label"/> (refused when the label is taken). Add-then-promote: list the label in
    /// <see cref="Pkcs11KeyProviderOptions.KeyEncryptionKeyLabels"/> on every node, then make it the active one.
    /// </summary>
    public void CreateKeyEncryptionKey(string label)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(label);
        lock (KeyCreation)
        {
            RefuseTaken(CKO.CKO_SECRET_KEY, label);
            var f = TokenConnection.Factory.ObjectAttributeFactory;
            Call(label, () => _token.Use(session => session.GenerateKey(
                TokenConnection.Factory.MechanismFactory.Create(CKM.CKM_AES_KEY_GEN),
                [
                    f.Create(CKA.CKA_CLASS, CKO.CKO_SECRET_KEY), f.Create(CKA.CKA_KEY_TYPE, CKK.CKK_AES),
                    f.Create(CKA.CKA_VALUE_LEN, 32UL), f.Create(CKA.CKA_LABEL, label), f.Create(CKA.CKA_TOKEN, true),
                    f.Create(CKA.CKA_PRIVATE, true), f.Create(CKA.CKA_SENSITIVE, true), f.Create(CKA.CKA_EXTRACTABLE, false),
                    f.Create(CKA.CKA_ENCRYPT, true), f.Create(CKA.CKA_DECRYPT, true),
                ])), "generate a key-encryption key");
        }
    }

    /// <summary>Generates a new EC P-256 checkpoint signing key pair on the token labelled <paramref name="label"/>; the private key is not extractable.</summary>
    public void CreateSigningKey(string label)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(label);
        lock (KeyCreation)
        {
            RefuseTaken(CKO.CKO_PRIVATE_KEY, label);
            var f = TokenConnection.Factory.ObjectAttributeFactory;
            Call(label, () => _token.Use(session =>
            {
                session.GenerateKeyPair(
                    TokenConnection.Factory.MechanismFactory.Create(CKM.CKM_EC_KEY_PAIR_GEN),
                    [f.Create(CKA.CKA_TOKEN, true), f.Create(CKA.CKA_EC_PARAMS, P256Params), f.Create(CKA.CKA_VERIFY, true), f.Create(CKA.CKA_LABEL, label)],
                    [
                        f.Create(CKA.CKA_TOKEN, true), f.Create(CKA.CKA_PRIVATE, true), f.Create(CKA.CKA_SENSITIVE, true),
                        f.Create(CKA.CKA_EXTRACTABLE, false), f.Create(CKA.CKA_SIGN, true), f.Create(CKA.CKA_LABEL, label),
                    ],
                    out _,
                    out _);
                return true;
            }), "generate a signing key");
        }
    }

    /// <inheritdoc />
    public ValueTask<string> GetActiveKeyIdAsync(CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return ActiveKeyId.Length > 0
            ? ValueTask.FromResult(ActiveKeyId)
            : throw new KeyProviderException($"No key-encryption key is configured for PKCS#11 token '{_token.TokenLabel}'.");
    }

    /// <inheritdoc />
    public ValueTask<byte[]> WrapAsync(string keyId, ReadOnlyMemory<byte> dataKey, ReadOnlyMemory<byte> associatedData, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var key = Kek(keyId);
        var iv = RandomNumberGenerator.GetBytes(IvSize);
        var plaintext = dataKey.ToArray();
        byte[] sealedKey;
        try
        {
            sealedKey = Call(keyId, () => _token.Use(session => session.Encrypt(Gcm(iv, associatedData), key, plaintext)), "wrap a data key");
        }
        finally
        {
            // The module's API takes an array: the copy of the data key does not outlive the call.
            CryptographicOperations.ZeroMemory(plaintext);
        }

        var output = new byte[IvSize + sealedKey.Length];
        iv.CopyTo(output, 0);
        sealedKey.CopyTo(output, IvSize);
        return ValueTask.FromResult(output);
    }

    /// <inheritdoc />
    public ValueTask<byte[]> UnwrapAsync(string keyId, ReadOnlyMemory<byte> wrappedKey, ReadOnlyMemory<byte> associatedData, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var key = Kek(keyId);
        if (wrappedKey.Length < IvSize + (TagBits / 8))
        {
            throw new KeyProviderException($"A data key wrapped by PKCS#11 key '{keyId}' is truncated.", keyId);
        }

        var iv = wrappedKey[..IvSize].ToArray();
        try
        {
            return ValueTask.FromResult(_token.Use(session => session.Decrypt(Gcm(iv, associatedData), key, wrappedKey[IvSize..].ToArray())));
        }
        catch (Pkcs11Exception e) when (e.RV is CKR.CKR_ENCRYPTED_DATA_INVALID or CKR.CKR_ENCRYPTED_DATA_LEN_RANGE or CKR.CKR_GENERAL_ERROR or CKR.CKR_FUNCTION_FAILED)
        {
            // A failed GCM tag check: the module reports it as one of these, depending on the vendor.
            throw new KeyProviderException($"A data key wrapped by PKCS#11 key '{keyId}' does not unwrap: it is corrupt or belongs to another store or subject.", keyId, innerException: e);
        }
        catch (Pkcs11Exception e)
        {
            throw Failure(keyId, "unwrap a data key", e);
        }
    }

    /// <inheritdoc />
    public ValueTask<byte[]> SignAsync(ReadOnlyMemory<byte> data, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var key = Require(CKO.CKO_PRIVATE_KEY, SigningLabel());
        var digest = SHA256.HashData(data.Span);
        return ValueTask.FromResult(Call(SigningKeyId, () => _token.Use(session => session.Sign(TokenConnection.Factory.MechanismFactory.Create(CKM.CKM_ECDSA), key, digest)), "sign a checkpoint"));
    }

    /// <inheritdoc />
    public ValueTask<byte[]> GetPublicKeyAsync(CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var key = Require(CKO.CKO_PUBLIC_KEY, SigningLabel());
        var point = Call(SigningKeyId, () => _token.Use(session => session.GetAttributeValue(key, [CKA.CKA_EC_POINT])[0].GetValueAsByteArray()), "read the signing public key");
        return ValueTask.FromResult(EcPublicKey.ToSubjectPublicKeyInfo(point, SigningKeyId));
    }

    private static IMechanism Gcm(byte[] iv, ReadOnlyMemory<byte> associatedData)
        => TokenConnection.Factory.MechanismFactory.Create(
            CKM.CKM_AES_GCM,
            TokenConnection.Factory.MechanismParamsFactory.CreateCkGcmParams(iv, IvSize * 8, associatedData.ToArray(), TagBits));

    private string SigningLabel()
        => SigningKeyId.Length > 0
            ? SigningKeyId
            : throw new KeyProviderException($"No signing key is configured for PKCS#11 token '{_token.TokenLabel}'; set SigningKeyLabel.");

    private IObjectHandle Kek(string keyId)
    {
        ArgumentNullException.ThrowIfNull(keyId);
        return _kekLabels.Contains(keyId)
            ? Require(CKO.CKO_SECRET_KEY, keyId)
            : throw new KeyProviderException($"PKCS#11 key-encryption key '{keyId}' is not among the configured labels for token '{_token.TokenLabel}'.", keyId);
    }

    private IObjectHandle Require(CKO objectClass, string label)
        => Call(label, () => _token.Find(objectClass, label), "look up a key")
           ?? throw new KeyProviderException($"PKCS#11 token '{_token.TokenLabel}' has no {TokenConnection.Describe(objectClass)} labelled '{label}'.", label);

    private void RefuseTaken(CKO objectClass, string label)
    {
        if (Call(label, () => _token.Find(objectClass, label), "look up a key") is not null)
        {
            throw new KeyProviderException($"PKCS#11 token '{_token.TokenLabel}' already has a {TokenConnection.Describe(objectClass)} labelled '{label}'; it was left unchanged.", label);
        }
    }

    private T Call<T>(string label, Func<T> action, string what)
    {
        try
        {
            return action();
        }
        catch (Pkcs11Exception e)
        {
            throw Failure(label, what, e);
        }
    }

    private KeyProviderException Failure(string label, string what, Pkcs11Exception e)
    {
        if (e.RV is CKR.CKR_OBJECT_HANDLE_INVALID or CKR.CKR_KEY_HANDLE_INVALID)
        {
            // The object was destroyed behind this process's back: look it up again next time.
            _token.Forget(CKO.CKO_SECRET_KEY, label);
            _token.Forget(CKO.CKO_PRIVATE_KEY, label);
            _token.Forget(CKO.CKO_PUBLIC_KEY, label);
        }

        var transient = e.RV is CKR.CKR_DEVICE_ERROR or CKR.CKR_DEVICE_REMOVED or CKR.CKR_TOKEN_NOT_PRESENT or CKR.CKR_SESSION_HANDLE_INVALID
            or CKR.CKR_SESSION_CLOSED or CKR.CKR_USER_NOT_LOGGED_IN or CKR.CKR_KEY_HANDLE_INVALID or CKR.CKR_OBJECT_HANDLE_INVALID;
        return new KeyProviderException($"PKCS#11 token '{_token.TokenLabel}' failed to {what} with key '{label}' ({e.RV}).", label, transient, e);
    }
}
