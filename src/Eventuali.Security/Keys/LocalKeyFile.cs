using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Eventuali.Security.Keys;

/// <summary>
/// A local key file: AES-256 key-encryption keys (one active) and an ECDSA P-256 checkpoint signing key, as JSON,
/// readable by its owner only (mode 0600; a world-readable or group-writable file is refused). For development,
/// tests, edge deployments and single hosts; production keys belong in an HSM or a key service.
/// </summary>
public sealed class LocalKeyFile : IKeyEncryptionKeyProvider, ICheckpointSigner
{
    private const string Format = "eventuali-keys/1";
    private const UnixFileMode OwnerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite;
    private const UnixFileMode Unsafe = UnixFileMode.OtherRead | UnixFileMode.OtherWrite | UnixFileMode.OtherExecute | UnixFileMode.GroupWrite;
    private readonly KeyFileDocument _document;

    private LocalKeyFile(string path, KeyFileDocument document)
    {
        Path = path;
        _document = document;
    }

    /// <summary>Where the file lives.</summary>
    public string Path { get; }

    /// <inheritdoc />
    public string Name => "local key file";

    /// <summary>The id of the KEK that wraps new data keys.</summary>
    public string ActiveKeyId => _document.ActiveKek;

    /// <summary>Every KEK in the file, oldest first.</summary>
    public IReadOnlyList<KeyEncryptionKeyInfo> Keys
        => [.. _document.Keks.Select(k => new KeyEncryptionKeyInfo(k.Id, k.Created, k.Id == _document.ActiveKek))];

    /// <inheritdoc />
    public string SigningKeyId => _document.Signing.Id;

    /// <summary>Creates a new key file with one active KEK and a signing key; refuses to overwrite an existing file.</summary>
    public static LocalKeyFile Create(string path, TimeProvider? timeProvider = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        if (File.Exists(path))
        {
            throw new KeyProviderException($"Key file '{path}' already exists; it was left unchanged.");
        }

        var now = (timeProvider ?? TimeProvider.System).GetUtcNow();
        var kek = NewKek(now);
        using var ecdsa = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var document = new KeyFileDocument
        {
            Format = Format,
            ActiveKek = kek.Id,
            Keks = [kek],
            Signing = new SigningEntry { Id = "sig-" + NewId(), Created = now, Pkcs8 = ecdsa.ExportPkcs8PrivateKey() },
        };
        var file = new LocalKeyFile(System.IO.Path.GetFullPath(path), document);
        file.Save(createNew: true);
        return file;
    }

    /// <summary>Loads a key file, refusing one that is missing, unreadable, malformed or readable by others.</summary>
    public static LocalKeyFile Load(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        var full = System.IO.Path.GetFullPath(path);
        if (!File.Exists(full))
        {
            throw new KeyProviderException($"Key file '{path}' does not exist; create it with 'eventuali keys init'.");
        }

        if (!OperatingSystem.IsWindows() && (File.GetUnixFileMode(full) & Unsafe) != 0)
        {
            throw new KeyProviderException($"Key file '{path}' is readable or writable by other users; restrict it with 'chmod 600 {path}'.");
        }

        KeyFileDocument? document;
        try
        {
            document = JsonSerializer.Deserialize(File.ReadAllBytes(full), KeyFileJson.Default.KeyFileDocument);
        }
        catch (Exception e) when (e is JsonException or IOException or UnauthorizedAccessException)
        {
            // The inner exception is left out: a JSON error can quote the file's content.
            throw new KeyProviderException($"Key file '{path}' cannot be read as an Eventuali key file ({e.GetType().Name}).");
        }

        if (document is null || document.Format != Format || document.Keks.Count == 0 || document.Signing is null
            || document.Keks.All(k => k.Id != document.ActiveKek) || document.Keks.Any(k => k.Key is not { Length: 32 }))
        {
            throw new KeyProviderException($"Key file '{path}' is not a valid Eventuali key file (format {Format}).");
        }

        return new LocalKeyFile(full, document);
    }

    /// <summary>Adds a new KEK, not yet active (add, then promote once every node has the file); returns its id.</summary>
    public string AddKey(TimeProvider? timeProvider = null)
    {
        var kek = NewKek((timeProvider ?? TimeProvider.System).GetUtcNow());
        _document.Keks.Add(kek);
        Save(createNew: false);
        return kek.Id;
    }

    /// <summary>Makes <paramref name="keyId"/> the KEK that wraps new data keys.</summary>
    public void Promote(string keyId)
    {
        if (_document.Keks.All(k => k.Id != keyId))
        {
            throw new KeyProviderException($"Key file '{Path}' has no key-encryption key '{keyId}'.", keyId);
        }

        _document.ActiveKek = keyId;
        Save(createNew: false);
    }

    /// <summary>Removes a retired KEK once no data key is wrapped by it any more; the active KEK cannot be removed.</summary>
    public void Remove(string keyId)
    {
        if (keyId == _document.ActiveKek)
        {
            throw new KeyProviderException($"Key-encryption key '{keyId}' is active and cannot be removed.", keyId);
        }

        if (_document.Keks.RemoveAll(k => k.Id == keyId) == 0)
        {
            throw new KeyProviderException($"Key file '{Path}' has no key-encryption key '{keyId}'.", keyId);
        }

        Save(createNew: false);
    }

    /// <inheritdoc />
    public ValueTask<string> GetActiveKeyIdAsync(CancellationToken cancellationToken = default) => ValueTask.FromResult(ActiveKeyId);

    /// <inheritdoc />
    public ValueTask<byte[]> WrapAsync(string keyId, ReadOnlyMemory<byte> dataKey, ReadOnlyMemory<byte> associatedData, CancellationToken cancellationToken = default)
    {
        var kek = Find(keyId);
        var output = new byte[AesGcmBox.Overhead + dataKey.Length];
        AesGcmBox.Seal(kek.Key, dataKey.Span, associatedData.Span, output);
        return ValueTask.FromResult(output);
    }

    /// <inheritdoc />
    public ValueTask<byte[]> UnwrapAsync(string keyId, ReadOnlyMemory<byte> wrappedKey, ReadOnlyMemory<byte> associatedData, CancellationToken cancellationToken = default)
    {
        var kek = Find(keyId);
        if (wrappedKey.Length < AesGcmBox.Overhead)
        {
            throw new KeyProviderException($"A data key wrapped by '{keyId}' is truncated.", keyId);
        }

        var output = new byte[wrappedKey.Length - AesGcmBox.Overhead];
        if (!AesGcmBox.TryOpen(kek.Key, wrappedKey.Span, associatedData.Span, output))
        {
            throw new KeyProviderException($"A data key wrapped by '{keyId}' does not unwrap: it is corrupt or belongs to another store or subject.", keyId);
        }

        return ValueTask.FromResult(output);
    }

    /// <inheritdoc />
    public ValueTask<byte[]> SignAsync(ReadOnlyMemory<byte> data, CancellationToken cancellationToken = default)
    {
        using var ecdsa = ECDsa.Create();
        ecdsa.ImportPkcs8PrivateKey(_document.Signing.Pkcs8, out _);
        return ValueTask.FromResult(ecdsa.SignData(data.Span, HashAlgorithmName.SHA256));
    }

    /// <inheritdoc />
    public ValueTask<byte[]> GetPublicKeyAsync(CancellationToken cancellationToken = default)
    {
        using var ecdsa = ECDsa.Create();
        ecdsa.ImportPkcs8PrivateKey(_document.Signing.Pkcs8, out _);
        return ValueTask.FromResult(ecdsa.ExportSubjectPublicKeyInfo());
    }

    private KekEntry Find(string keyId)
        => _document.Keks.Find(k => k.Id == keyId)
           ?? throw new KeyProviderException($"Key file '{Path}' has no key-encryption key '{keyId}'.", keyId);

    private static KekEntry NewKek(DateTimeOffset now)
        => new() { Id = "kek-" + NewId(), Created = now, Key = RandomNumberGenerator.GetBytes(32) };

    private static string NewId() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(6));

    private void Save(bool createNew)
    {
        // Written to a private temporary file, then renamed over the old one: a crash leaves the old file or the new one.
        var temp = Path + ".tmp-" + NewId();
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = OwnerOnly;
        }

        using (var stream = new FileStream(temp, options))
        {
            JsonSerializer.Serialize(stream, _document, KeyFileJson.Default.KeyFileDocument);
            stream.Flush(flushToDisk: true);
        }

        if (createNew && File.Exists(Path))
        {
            File.Delete(temp);
            throw new KeyProviderException($"Key file '{Path}' already exists; it was left unchanged.");
        }

        File.Move(temp, Path, overwrite: true);
    }
}

/// <summary>A key-encryption key as listed by a key file: its id, when it was made, and whether it is active.</summary>
public sealed record KeyEncryptionKeyInfo(string Id, DateTimeOffset Created, bool IsActive);

internal sealed class KeyFileDocument
{
    public string Format { get; set; } = "";

    public string ActiveKek { get; set; } = "";

    public List<KekEntry> Keks { get; set; } = [];

    public SigningEntry Signing { get; set; } = null!;
}

internal sealed class KekEntry
{
    public string Id { get; set; } = "";

    public DateTimeOffset Created { get; set; }

    public byte[] Key { get; set; } = [];
}

internal sealed class SigningEntry
{
    public string Id { get; set; } = "";

    public DateTimeOffset Created { get; set; }

    public byte[] Pkcs8 { get; set; } = [];
}

[JsonSourceGenerationOptions(WriteIndented = true, PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
[JsonSerializable(typeof(KeyFileDocument))]
internal sealed partial class KeyFileJson : JsonSerializerContext;
