using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Eventuali.Security.Keys;
using Eventuali.Security.KeyServices;

namespace Eventuali.Security.Tests.KeyServices;

/// <summary>
/// A local stand-in for AWS KMS that speaks its JSON 1.1 protocol: it checks the SigV4 signature of every request
/// against the one secret it knows (recomputed from the headers and body as received), then encrypts and decrypts
/// with real AES-256-GCM, the encryption context serialised as the AAD. The blob is length | key id | sealed box.
/// </summary>
internal sealed class FakeAwsKms : IAsyncDisposable
{
    public const string AccessKeyId = "AKIDFAKEKMS";
    public const string Secret = "fake/kms+secret-key-0123456789abcdef";
    public const string Region = "eu-north-1";

    private readonly ConcurrentDictionary<string, byte[]> _keys = new();

    public FakeAwsKms() => Server = LoopbackServer.Start(Handle);

    public LoopbackServer Server { get; }

    public string? LastSecurityToken { get; private set; }

    public void AddKey(string keyId) => _keys[keyId] = RandomNumberGenerator.GetBytes(32);

    public AwsKmsKeyProvider Provider(IReadOnlyList<string> keyIds, string? active = null, string secret = Secret, string? sessionToken = null, TimeSpan? timeout = null)
        => Provider(Server.BaseAddress, keyIds, active, secret, sessionToken, timeout);

    public static AwsKmsKeyProvider Provider(Uri endpoint, IReadOnlyList<string> keyIds, string? active = null, string secret = Secret, string? sessionToken = null, TimeSpan? timeout = null)
        => new(new AwsKmsKeyProviderOptions
        {
            Region = Region,
            Credentials = _ => ValueTask.FromResult(new AwsCredentials(AccessKeyId, secret, sessionToken)),
            KeyIds = keyIds,
            ActiveKeyId = active,
            Endpoint = endpoint,
            Timeout = timeout ?? TimeSpan.FromSeconds(30),
        });

    public ValueTask DisposeAsync() => Server.DisposeAsync();

    private static FakeResponse Error(string type) => new(400, new JsonObject { ["__type"] = "com.amazonaws.kms#" + type, ["message"] = type }.ToJsonString());

    private FakeResponse Handle(FakeRequest request)
    {
        if (request.Method != "POST" || request.Headers["Content-Type"] != "application/x-amz-json-1.1")
        {
            return Error("UnsupportedOperationException");
        }

        if (!SignatureIsValid(request))
        {
            return Error("InvalidSignatureException");
        }

        LastSecurityToken = request.Headers["X-Amz-Security-Token"];
        var body = JsonNode.Parse(request.Body)!.AsObject();
        var keyId = body["KeyId"]?.GetValue<string>();
        var aad = ContextAad(body["EncryptionContext"] as JsonObject);
        switch (request.Headers["X-Amz-Target"])
        {
            case "TrentService.Encrypt":
                if (keyId is null || !_keys.TryGetValue(keyId, out var key))
                {
                    return Error("NotFoundException");
                }

                var plaintext = Convert.FromBase64String(body["Plaintext"]!.GetValue<string>());
                var id = Encoding.UTF8.GetBytes(keyId);
                var blob = new byte[1 + id.Length + plaintext.Length + AesGcmBox.Overhead];
                blob[0] = (byte)id.Length;
                id.CopyTo(blob, 1);
                AesGcmBox.Seal(key, plaintext, aad, blob.AsSpan(1 + id.Length));
                return new FakeResponse(200, new JsonObject { ["CiphertextBlob"] = Convert.ToBase64String(blob), ["KeyId"] = keyId }.ToJsonString());

            case "TrentService.Decrypt":
                var sealedBlob = Convert.FromBase64String(body["CiphertextBlob"]!.GetValue<string>());
                if (sealedBlob.Length < 1 + AesGcmBox.Overhead || sealedBlob.Length < 1 + sealedBlob[0] + AesGcmBox.Overhead)
                {
                    return Error("InvalidCiphertextException");
                }

                var blobKey = Encoding.UTF8.GetString(sealedBlob, 1, sealedBlob[0]);
                if (keyId is not null && keyId != blobKey)
                {
                    return Error("IncorrectKeyException");
                }

                if (!_keys.TryGetValue(blobKey, out var decryptKey))
                {
                    return Error("InvalidCiphertextException");
                }

                var box = sealedBlob.AsSpan(1 + sealedBlob[0]);
                var opened = new byte[box.Length - AesGcmBox.Overhead];
                return AesGcmBox.TryOpen(decryptKey, box, aad, opened)
                    ? new FakeResponse(200, new JsonObject { ["Plaintext"] = Convert.ToBase64String(opened), ["KeyId"] = blobKey }.ToJsonString())
                    : Error("InvalidCiphertextException");

            default:
                return Error("UnknownOperationException");
        }
    }

    // KMS binds the context as a whole: the same pairs in any order decrypt, any other pair does not.
    private static byte[] ContextAad(JsonObject? context)
        => context is null ? [] : Encoding.UTF8.GetBytes(string.Join('\n', context.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => p.Key + "=" + p.Value!.GetValue<string>())));

    private static bool SignatureIsValid(FakeRequest request)
    {
        var authorization = request.Headers["Authorization"] ?? "";
        const string Prefix = AwsSigV4.Algorithm + " ";
        if (!authorization.StartsWith(Prefix, StringComparison.Ordinal))
        {
            return false;
        }

        var parts = authorization[Prefix.Length..].Split(", ").Select(p => p.Split('=', 2)).ToDictionary(p => p[0], p => p[1]);
        var credential = parts["Credential"].Split('/');
        var amzDate = request.Headers["X-Amz-Date"] ?? "";
        if (credential is not [AccessKeyId, var day, Region, "kms", "aws4_request"] || !amzDate.StartsWith(day, StringComparison.Ordinal))
        {
            return false;
        }

        var signedHeaders = parts["SignedHeaders"].Split(';');
        if (!signedHeaders.Contains("host") || !signedHeaders.Contains("x-amz-date") || !signedHeaders.Contains("x-amz-target"))
        {
            return false;
        }

        var time = DateTimeOffset.ParseExact(amzDate, "yyyyMMdd'T'HHmmss'Z'", null, System.Globalization.DateTimeStyles.AssumeUniversal);
        var headers = signedHeaders.Select(h => new KeyValuePair<string, string>(h, request.Headers[h] ?? ""));
        var (canonical, signed) = AwsSigV4.CanonicalRequest(request.Method, request.Path, request.Query, headers, AwsSigV4.Hex(request.Body));
        var expected = AwsSigV4.Signature(canonical, Secret, Region, "kms", time);
        return signed == parts["SignedHeaders"]
               && CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(expected), Encoding.ASCII.GetBytes(parts["Signature"]));
    }
}
