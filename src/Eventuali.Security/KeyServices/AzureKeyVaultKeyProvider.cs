using System.Buffers.Text;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Eventuali.Security.Keys;

namespace Eventuali.Security.KeyServices;

/// <summary>
/// Wraps data keys with an RSA key in Azure Key Vault (<c>POST {vault}/keys/{name}/wrapkey</c> and
/// <c>/keys/{name}/{version}/unwrapkey</c>, bearer token from a pluggable source). Key Vault's RSA wrap takes no
/// associated data, so it is bound inside the wrapped plaintext: the vault wraps
/// <c>data key | SHA-256("eventuali/azure-kv-aad/1" 0x00 associated data)</c>, and unwrap compares the digest in
/// constant time. RSA-OAEP is non-malleable, so a wrapped key moved to another subject unwraps to a digest that
/// does not match and is refused. The stored form is <c>0x01 | length | key version (ASCII) | RSA ciphertext</c>:
/// the version that wrapped it is kept, so Key Vault's own key rotation (new versions) needs nothing from the store.
/// </summary>
public sealed partial class AzureKeyVaultKeyProvider : IKeyEncryptionKeyProvider
{
    private const byte FormatVersion = 1;
    private const int DigestSize = 32;
    private static readonly byte[] DigestLabel = "eventuali/azure-kv-aad/1\0"u8.ToArray();

    private readonly AzureKeyVaultKeyProviderOptions _options;
    private readonly KeyRing _keys;
    private readonly KeyServiceHttp _http;

    /// <summary>Creates the provider; nothing is sent until the first wrap or unwrap.</summary>
    public AzureKeyVaultKeyProvider(AzureKeyVaultKeyProviderOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(options.VaultUri);
        ArgumentNullException.ThrowIfNull(options.AccessToken);
        _options = options;
        _keys = new KeyRing(Name, options.KeyNames, options.ActiveKeyName);
        foreach (var name in options.KeyNames)
        {
            if (!KeyName().IsMatch(name))
            {
                throw new KeyProviderException($"{Name}: '{name}' is not a Key Vault key name (1-127 letters, digits and dashes).", name);
            }
        }

        _http = new KeyServiceHttp(options.HttpClient, Name, options.Timeout, ErrorCode);
    }

    /// <inheritdoc />
    public string Name => "Azure Key Vault";

    /// <inheritdoc />
    public ValueTask<string> GetActiveKeyIdAsync(CancellationToken cancellationToken = default) => ValueTask.FromResult(_keys.Active);

    /// <inheritdoc />
    public async ValueTask<byte[]> WrapAsync(string keyId, ReadOnlyMemory<byte> dataKey, ReadOnlyMemory<byte> associatedData, CancellationToken cancellationToken = default)
    {
        _keys.Require(keyId);
        var plaintext = new byte[dataKey.Length + DigestSize];
        dataKey.Span.CopyTo(plaintext);
        Digest(associatedData.Span, plaintext.AsSpan(dataKey.Length));
        var answer = await CallAsync($"keys/{keyId}/wrapkey", keyId, plaintext, "wrap a data key", null, cancellationToken).ConfigureAwait(false);
        CryptographicOperations.ZeroMemory(plaintext);

        var version = Text(answer["kid"])?.Split('/')[^1];
        if (version is null || !KeyVersion().IsMatch(version))
        {
            throw new KeyProviderException($"{Name} answered wrapkey for key '{keyId}' without a key version in 'kid'.", keyId);
        }

        var wrapped = FromBase64Url(answer["value"], keyId);
        var output = new byte[2 + version.Length + wrapped.Length];
        output[0] = FormatVersion;
        output[1] = (byte)version.Length;
        Encoding.ASCII.GetBytes(version, output.AsSpan(2));
        wrapped.CopyTo(output, 2 + version.Length);
        return output;
    }

    /// <inheritdoc />
    public async ValueTask<byte[]> UnwrapAsync(string keyId, ReadOnlyMemory<byte> wrappedKey, ReadOnlyMemory<byte> associatedData, CancellationToken cancellationToken = default)
    {
        _keys.Require(keyId);
        var span = wrappedKey.Span;
        if (span.Length < 3 || span[0] != FormatVersion || span.Length <= 2 + span[1]
            || Encoding.ASCII.GetString(span.Slice(2, span[1])) is not { } version || !KeyVersion().IsMatch(version))
        {
            throw new KeyProviderException($"A data key said to be wrapped by {Name} key '{keyId}' is truncated or not in the wrapped-key format.", keyId);
        }

        var notMine = new KeyProviderException($"A data key wrapped by {Name} key '{keyId}' does not unwrap: it is corrupt or belongs to another store or subject.", keyId);
        var answer = await CallAsync($"keys/{keyId}/{version}/unwrapkey", keyId, span[(2 + version.Length)..].ToArray(), "unwrap a data key",
            (status, _) => status == HttpStatusCode.BadRequest ? notMine : null, cancellationToken).ConfigureAwait(false);
        var plaintext = FromBase64Url(answer["value"], keyId);
        try
        {
            Span<byte> expected = stackalloc byte[DigestSize];
            Digest(associatedData.Span, expected);
            if (plaintext.Length < DigestSize || !CryptographicOperations.FixedTimeEquals(plaintext.AsSpan(plaintext.Length - DigestSize), expected))
            {
                throw notMine;
            }

            return plaintext[..^DigestSize];
        }
        finally
        {
            CryptographicOperations.ZeroMemory(plaintext);
        }
    }

    private static void Digest(ReadOnlySpan<byte> associatedData, Span<byte> destination)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        hash.AppendData(DigestLabel);
        hash.AppendData(associatedData);
        hash.GetHashAndReset(destination);
    }

    private async Task<JsonNode> CallAsync(
        string path, string keyId, byte[] value, string what, Func<HttpStatusCode, string?, KeyProviderException?>? refusal, CancellationToken cancellationToken)
    {
        var token = await _options.AccessToken(cancellationToken).ConfigureAwait(false);
        var body = new JsonObject { ["alg"] = _options.Algorithm, ["value"] = Base64Url.EncodeToString(value) };
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(_options.VaultUri, $"{path}?api-version={Uri.EscapeDataString(_options.ApiVersion)}"))
        {
            Content = new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json"),
        };
        request.Headers.TryAddWithoutValidation("Authorization", "Bearer " + token);
        return await _http.SendAsync(request, keyId, what, refusal, cancellationToken).ConfigureAwait(false);
    }

    private byte[] FromBase64Url(JsonNode? node, string keyId)
    {
        try
        {
            return Text(node) is { } text
                ? Base64Url.DecodeFromChars(text)
                : throw new KeyProviderException($"{Name} answered for key '{keyId}' without a value.", keyId);
        }
        catch (FormatException)
        {
            throw new KeyProviderException($"{Name} answered for key '{keyId}' with a value that is not base64url.", keyId);
        }
    }

    private static string? Text(JsonNode? node) => node?.GetValueKind() == JsonValueKind.String ? node.GetValue<string>() : null;

    // Key Vault answers {"error": {"code": "Forbidden", "message": "..."}}; the code is enough and carries nothing secret.
    private static string? ErrorCode(JsonNode? json) => Text(json?["error"]?["code"]);

    [GeneratedRegex("^[0-9A-Za-z-]{1,127}$")]
    private static partial Regex KeyName();

    [GeneratedRegex("^[0-9A-Za-z]{1,64}$")]
    private static partial Regex KeyVersion();
}
