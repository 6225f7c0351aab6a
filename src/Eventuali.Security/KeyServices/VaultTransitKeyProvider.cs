using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Eventuali.Security.Keys;

namespace Eventuali.Security.KeyServices;

/// <summary>
/// Wraps data keys with HashiCorp Vault's transit engine (<c>POST /v1/{mount}/encrypt/{key}</c> and
/// <c>/decrypt/{key}</c>, X-Vault-Token). The associated data is bound as <c>associated_data</c> (or as the
/// derivation <c>context</c> of a derived key). The wrapped key is Vault's ciphertext string
/// (<c>vault:vN:...</c>) as UTF-8, which names the key version, so Vault's own key rotation needs nothing from the
/// store: old versions keep decrypting until <c>min_decryption_version</c> is raised after a rewrap.
/// </summary>
public sealed class VaultTransitKeyProvider : IKeyEncryptionKeyProvider
{
    private readonly VaultTransitKeyProviderOptions _options;
    private readonly KeyRing _keys;
    private readonly KeyServiceHttp _http;
    private readonly string _mount;

    /// <summary>Creates the provider; nothing is sent until the first wrap or unwrap.</summary>
    public VaultTransitKeyProvider(VaultTransitKeyProviderOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(options.Address);
        ArgumentNullException.ThrowIfNull(options.Token);
        ArgumentException.ThrowIfNullOrWhiteSpace(options.MountPath);
        _options = options;
        _keys = new KeyRing(Name, options.KeyNames, options.ActiveKeyName);
        _mount = string.Join('/', options.MountPath.Split('/', StringSplitOptions.RemoveEmptyEntries).Select(Uri.EscapeDataString));
        _http = new KeyServiceHttp(options.HttpClient, Name, options.Timeout, ErrorCode);
    }

    /// <inheritdoc />
    public string Name => "Vault transit";

    /// <inheritdoc />
    public ValueTask<string> GetActiveKeyIdAsync(CancellationToken cancellationToken = default) => ValueTask.FromResult(_keys.Active);

    /// <inheritdoc />
    public async ValueTask<byte[]> WrapAsync(string keyId, ReadOnlyMemory<byte> dataKey, ReadOnlyMemory<byte> associatedData, CancellationToken cancellationToken = default)
    {
        _keys.Require(keyId);
        var body = new JsonObject { ["plaintext"] = Convert.ToBase64String(dataKey.Span) };
        Bind(body, associatedData);
        var answer = await CallAsync("encrypt", keyId, body, "wrap a data key", null, cancellationToken).ConfigureAwait(false);
        var ciphertext = Text(answer["data"]?["ciphertext"]);
        return ciphertext is not null && ciphertext.StartsWith("vault:v", StringComparison.Ordinal)
            ? Encoding.UTF8.GetBytes(ciphertext)
            : throw new KeyProviderException($"{Name} answered encrypt for key '{keyId}' without a vault ciphertext.", keyId);
    }

    /// <inheritdoc />
    public async ValueTask<byte[]> UnwrapAsync(string keyId, ReadOnlyMemory<byte> wrappedKey, ReadOnlyMemory<byte> associatedData, CancellationToken cancellationToken = default)
    {
        _keys.Require(keyId);
        string ciphertext;
        try
        {
            ciphertext = new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(wrappedKey.Span);
        }
        catch (DecoderFallbackException)
        {
            ciphertext = "";
        }

        if (!ciphertext.StartsWith("vault:v", StringComparison.Ordinal))
        {
            throw new KeyProviderException($"A data key said to be wrapped by {Name} key '{keyId}' is not a vault ciphertext: it is corrupt.", keyId);
        }

        var body = new JsonObject { ["ciphertext"] = ciphertext };
        Bind(body, associatedData);
        var answer = await CallAsync("decrypt", keyId, body, "unwrap a data key", (status, _) => status == HttpStatusCode.BadRequest
            ? new KeyProviderException($"A data key wrapped by {Name} key '{keyId}' does not unwrap: it is corrupt, belongs to another store or subject, or its key version is no longer allowed to decrypt.", keyId)
            : null, cancellationToken).ConfigureAwait(false);
        try
        {
            return Text(answer["data"]?["plaintext"]) is { } plaintext
                ? Convert.FromBase64String(plaintext)
                : throw new KeyProviderException($"{Name} answered decrypt for key '{keyId}' without a plaintext.", keyId);
        }
        catch (FormatException)
        {
            throw new KeyProviderException($"{Name} answered decrypt for key '{keyId}' with a plaintext that is not base64.", keyId);
        }
    }

    private void Bind(JsonObject body, ReadOnlyMemory<byte> associatedData)
    {
        if (!associatedData.IsEmpty)
        {
            body[_options.UseKeyDerivationContext ? "context" : "associated_data"] = Convert.ToBase64String(associatedData.Span);
        }
    }

    private async Task<JsonNode> CallAsync(
        string operation, string keyId, JsonObject body, string what, Func<HttpStatusCode, string?, KeyProviderException?>? refusal, CancellationToken cancellationToken)
    {
        var token = await _options.Token(cancellationToken).ConfigureAwait(false);
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(_options.Address, $"/v1/{_mount}/{operation}/{Uri.EscapeDataString(keyId)}"))
        {
            Content = new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json"),
        };
        request.Headers.TryAddWithoutValidation("X-Vault-Token", token);
        if (_options.Namespace is { Length: > 0 } ns)
        {
            request.Headers.TryAddWithoutValidation("X-Vault-Namespace", ns);
        }

        return await _http.SendAsync(request, keyId, what, refusal, cancellationToken).ConfigureAwait(false);
    }

    private static string? Text(JsonNode? node) => node?.GetValueKind() == JsonValueKind.String ? node.GetValue<string>() : null;

    // Vault answers {"errors": ["permission denied"]}; the first one, shortened, says enough and carries no secret.
    private static string? ErrorCode(JsonNode? json)
        => json?["errors"] is JsonArray { Count: > 0 } errors && Text(errors[0]) is { } first
            ? "\"" + (first.Length > 120 ? first[..120] + "..." : first) + "\""
            : null;
}
