using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Eventuali.Security.Keys;

namespace Eventuali.Security.KeyServices;

/// <summary>
/// Wraps data keys with AWS KMS (Encrypt and Decrypt over the KMS JSON 1.1 protocol, Signature Version 4 signed).
/// The associated data goes in the encryption context as <c>{"eventuali-aad": base64(associated data)}</c>, which
/// KMS binds into the ciphertext and checks on Decrypt. The wrapped key is KMS's CiphertextBlob as returned. Key ids
/// are KMS key ids or ARNs; rotation is add-then-promote across KMS keys, or KMS's own automatic rotation of one key.
/// </summary>
public sealed class AwsKmsKeyProvider : IKeyEncryptionKeyProvider
{
    /// <summary>The encryption-context entry that carries the associated data.</summary>
    public const string AssociatedDataContextKey = "eventuali-aad";

    private const string Service = "kms";
    private static readonly MediaTypeHeaderValue JsonType = new("application/x-amz-json-1.1");

    private readonly AwsKmsKeyProviderOptions _options;
    private readonly KeyRing _keys;
    private readonly KeyServiceHttp _http;
    private readonly Uri _endpoint;
    private readonly TimeProvider _time;

    /// <summary>Creates the provider; nothing is sent until the first wrap or unwrap.</summary>
    public AwsKmsKeyProvider(AwsKmsKeyProviderOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentException.ThrowIfNullOrWhiteSpace(options.Region);
        ArgumentNullException.ThrowIfNull(options.Credentials);
        _options = options;
        _keys = new KeyRing(Name, options.KeyIds, options.ActiveKeyId);
        _endpoint = options.Endpoint ?? new Uri($"https://kms.{options.Region}.amazonaws.com/");
        _time = options.TimeProvider ?? TimeProvider.System;
        _http = new KeyServiceHttp(options.HttpClient, Name, options.Timeout, ErrorCode);
    }

    /// <inheritdoc />
    public string Name => "AWS KMS";

    /// <inheritdoc />
    public ValueTask<string> GetActiveKeyIdAsync(CancellationToken cancellationToken = default) => ValueTask.FromResult(_keys.Active);

    /// <inheritdoc />
    public async ValueTask<byte[]> WrapAsync(string keyId, ReadOnlyMemory<byte> dataKey, ReadOnlyMemory<byte> associatedData, CancellationToken cancellationToken = default)
    {
        _keys.Require(keyId);
        var body = new JsonObject { ["KeyId"] = keyId, ["Plaintext"] = Convert.ToBase64String(dataKey.Span) };
        AddContext(body, associatedData);
        var answer = await CallAsync("TrentService.Encrypt", body, keyId, "wrap a data key", null, cancellationToken).ConfigureAwait(false);
        return Base64(answer["CiphertextBlob"], keyId, "CiphertextBlob");
    }

    /// <inheritdoc />
    public async ValueTask<byte[]> UnwrapAsync(string keyId, ReadOnlyMemory<byte> wrappedKey, ReadOnlyMemory<byte> associatedData, CancellationToken cancellationToken = default)
    {
        _keys.Require(keyId);
        var body = new JsonObject { ["KeyId"] = keyId, ["CiphertextBlob"] = Convert.ToBase64String(wrappedKey.Span) };
        AddContext(body, associatedData);
        var answer = await CallAsync("TrentService.Decrypt", body, keyId, "unwrap a data key", (status, code) => code switch
        {
            "InvalidCiphertextException" => new KeyProviderException($"A data key wrapped by AWS KMS key '{keyId}' does not unwrap: it is corrupt or belongs to another store or subject.", keyId),
            "IncorrectKeyException" => new KeyProviderException($"A data key said to be wrapped by AWS KMS key '{keyId}' was wrapped by another key.", keyId),
            _ => null,
        }, cancellationToken).ConfigureAwait(false);
        return Base64(answer["Plaintext"], keyId, "Plaintext");
    }

    private static void AddContext(JsonObject body, ReadOnlyMemory<byte> associatedData)
    {
        // No associated data means no context at all rather than a context with an empty value.
        if (!associatedData.IsEmpty)
        {
            body["EncryptionContext"] = new JsonObject { [AssociatedDataContextKey] = Convert.ToBase64String(associatedData.Span) };
        }
    }

    private async Task<JsonNode> CallAsync(
        string target, JsonObject body, string keyId, string operation, Func<HttpStatusCode, string?, KeyProviderException?>? refusal, CancellationToken cancellationToken)
    {
        var payload = Encoding.UTF8.GetBytes(body.ToJsonString());
        var credentials = await _options.Credentials(cancellationToken).ConfigureAwait(false);
        using var request = new HttpRequestMessage(HttpMethod.Post, _endpoint) { Content = new ByteArrayContent(payload) };
        request.Content.Headers.ContentType = JsonType;
        var now = _time.GetUtcNow();
        var amzDate = AwsSigV4.AmzDate(now);
        request.Headers.Add("X-Amz-Target", target);
        request.Headers.Add("X-Amz-Date", amzDate);
        var signed = new List<KeyValuePair<string, string>>
        {
            new("host", _endpoint.Authority),
            new("content-type", JsonType.ToString()),
            new("x-amz-date", amzDate),
            new("x-amz-target", target),
        };
        if (credentials.SessionToken is { Length: > 0 } session)
        {
            request.Headers.Add("X-Amz-Security-Token", session);
            signed.Add(new("x-amz-security-token", session));
        }

        var authorization = AwsSigV4.Authorization(
            "POST", _endpoint.AbsolutePath, _endpoint.Query, signed, AwsSigV4.Hex(payload),
            credentials.AccessKeyId, credentials.SecretAccessKey, _options.Region, Service, now);
        request.Headers.TryAddWithoutValidation("Authorization", authorization);
        return await _http.SendAsync(request, keyId, operation, refusal, cancellationToken).ConfigureAwait(false);
    }

    private byte[] Base64(JsonNode? node, string keyId, string field)
    {
        try
        {
            return node?.GetValue<string>() is { } text
                ? Convert.FromBase64String(text)
                : throw new KeyProviderException($"{Name} answered without {field} for key '{keyId}'.", keyId);
        }
        catch (Exception e) when (e is FormatException or InvalidOperationException)
        {
            throw new KeyProviderException($"{Name} answered with a {field} that is not base64 for key '{keyId}'.", keyId);
        }
    }

    // "__type" is "com.amazonaws.kms#InvalidCiphertextException" or just the exception name.
    private static string? ErrorCode(JsonNode? json)
        => json is JsonObject o && o["__type"]?.GetValueKind() == System.Text.Json.JsonValueKind.String
            ? o["__type"]!.GetValue<string>().Split('#')[^1]
            : null;
}
