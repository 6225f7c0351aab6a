using System.Buffers.Text;
using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Eventuali.Security.KeyServices;

namespace Eventuali.Security.Tests.KeyServices;

/// <summary>
/// A local stand-in for Azure Key Vault's key operations: checks the bearer token and the api-version, keeps
/// versioned RSA-2048 keys, and answers wrapkey (latest or a given version) and unwrapkey (a given version) with
/// real RSA-OAEP-256, values in base64url as the REST API has them.
/// </summary>
internal sealed class FakeAzureKeyVault : IAsyncDisposable
{
    public const string AccessToken = "eyJ.fake-azure-access-token.sig";

    private readonly ConcurrentDictionary<string, List<(string Version, RSA Key)>> _keys = new();

    public FakeAzureKeyVault() => Server = LoopbackServer.Start(Handle);

    public LoopbackServer Server { get; }

    public void AddKey(string name) => _keys[name] = [NewVersion()];

    public void Rotate(string name) => _keys[name].Add(NewVersion());

    public AzureKeyVaultKeyProvider Provider(IReadOnlyList<string> keys, string? active = null, string token = AccessToken)
        => Provider(Server.BaseAddress, keys, active, token);

    public static AzureKeyVaultKeyProvider Provider(Uri vault, IReadOnlyList<string> keys, string? active = null, string token = AccessToken, TimeSpan? timeout = null)
        => new(new AzureKeyVaultKeyProviderOptions
        {
            VaultUri = vault,
            AccessToken = _ => ValueTask.FromResult(token),
            KeyNames = keys,
            ActiveKeyName = active,
            Timeout = timeout ?? TimeSpan.FromSeconds(30),
        });

    public async ValueTask DisposeAsync()
    {
        await Server.DisposeAsync();
        foreach (var (_, key) in _keys.Values.SelectMany(v => v))
        {
            key.Dispose();
        }
    }

    private static (string, RSA) NewVersion() => (Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16)), RSA.Create(2048));

    private static FakeResponse Error(int status, string code) => new(status, new JsonObject { ["error"] = new JsonObject { ["code"] = code, ["message"] = code } }.ToJsonString());

    private FakeResponse Handle(FakeRequest request)
    {
        if (request.Headers["Authorization"] != "Bearer " + AccessToken)
        {
            return Error(401, "Unauthorized");
        }

        if (!request.Query.Contains("api-version=7.4", StringComparison.Ordinal))
        {
            return Error(400, "MissingApiVersionParameter");
        }

        // /keys/{name}/wrapkey or /keys/{name}/{version}/(wrapkey|unwrapkey)
        var segments = request.Path.Trim('/').Split('/');
        if (request.Method != "POST" || segments.Length is < 3 or > 4 || segments[0] != "keys" || !_keys.TryGetValue(segments[1], out var versions))
        {
            return Error(404, "KeyNotFound");
        }

        var body = JsonNode.Parse(request.Body)!.AsObject();
        if (body["alg"]?.GetValue<string>() != "RSA-OAEP-256")
        {
            return Error(400, "BadParameter");
        }

        var value = Base64Url.DecodeFromChars(body["value"]!.GetValue<string>());
        var (version, key) = segments.Length == 4 ? versions.Find(v => v.Version == segments[2]) : versions[^1];
        if (key is null)
        {
            return Error(404, "KeyNotFound");
        }

        var kid = new Uri(Server.BaseAddress, $"keys/{segments[1]}/{version}").ToString();
        switch (segments[^1])
        {
            case "wrapkey":
                return new FakeResponse(200, new JsonObject { ["kid"] = kid, ["value"] = Base64Url.EncodeToString(key.Encrypt(value, RSAEncryptionPadding.OaepSHA256)) }.ToJsonString());
            case "unwrapkey":
                try
                {
                    return new FakeResponse(200, new JsonObject { ["kid"] = kid, ["value"] = Base64Url.EncodeToString(key.Decrypt(value, RSAEncryptionPadding.OaepSHA256)) }.ToJsonString());
                }
                catch (CryptographicException)
                {
                    return Error(400, "BadParameter");
                }

            default:
                return Error(404, "NotFound");
        }
    }
}
