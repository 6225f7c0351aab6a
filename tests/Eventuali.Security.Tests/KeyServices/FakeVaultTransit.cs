using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Eventuali.Security.Keys;
using Eventuali.Security.KeyServices;

namespace Eventuali.Security.Tests.KeyServices;

/// <summary>
/// A local stand-in for Vault's transit engine: checks X-Vault-Token, keeps versioned AES-256-GCM keys (rotate,
/// min_decryption_version, derived keys that need a context) and answers encrypt/decrypt with vault:vN: ciphertexts.
/// </summary>
internal sealed class FakeVaultTransit : IAsyncDisposable
{
    public const string Token = "hvs.fake-vault-token-0123456789";

    private readonly ConcurrentDictionary<string, TransitKey> _keys = new();

    public FakeVaultTransit(string mount = "transit")
    {
        Mount = mount;
        Server = LoopbackServer.Start(Handle);
    }

    public LoopbackServer Server { get; }

    public string Mount { get; }

    public string? LastNamespace { get; private set; }

    public void AddKey(string name, bool derived = false) => _keys[name] = new TransitKey(derived) { Versions = { RandomNumberGenerator.GetBytes(32) } };

    public void Rotate(string name) => _keys[name].Versions.Add(RandomNumberGenerator.GetBytes(32));

    public void SetMinDecryptionVersion(string name, int version) => _keys[name].MinDecryptionVersion = version;

    public VaultTransitKeyProvider Provider(IReadOnlyList<string> keys, string? active = null, string token = Token, bool context = false, string? ns = null)
        => Provider(Server.BaseAddress, keys, active, token, context, ns, Mount);

    public static VaultTransitKeyProvider Provider(Uri address, IReadOnlyList<string> keys, string? active = null, string token = Token, bool context = false, string? ns = null, string mount = "transit", TimeSpan? timeout = null)
        => new(new VaultTransitKeyProviderOptions
        {
            Address = address,
            Token = _ => ValueTask.FromResult(token),
            KeyNames = keys,
            ActiveKeyName = active,
            MountPath = mount,
            Namespace = ns,
            UseKeyDerivationContext = context,
            Timeout = timeout ?? TimeSpan.FromSeconds(30),
        });

    public ValueTask DisposeAsync() => Server.DisposeAsync();

    private static FakeResponse Error(int status, string message) => new(status, new JsonObject { ["errors"] = new JsonArray(message) }.ToJsonString());

    private FakeResponse Handle(FakeRequest request)
    {
        if (request.Headers["X-Vault-Token"] != Token)
        {
            return Error(403, "permission denied");
        }

        LastNamespace = request.Headers["X-Vault-Namespace"];
        var prefix = $"/v1/{Mount}/";
        if (request.Method != "POST" || !request.Path.StartsWith(prefix, StringComparison.Ordinal))
        {
            return Error(404, "no handler for route");
        }

        var route = request.Path[prefix.Length..].Split('/', 2);
        var body = JsonNode.Parse(request.Body)!.AsObject();
        if (route.Length != 2 || !_keys.TryGetValue(Uri.UnescapeDataString(route[1]), out var key))
        {
            return Error(400, "encryption key not found");
        }

        var aad = body["associated_data"] is { } a ? Convert.FromBase64String(a.GetValue<string>()) : [];
        var context = body["context"] is { } c ? Convert.FromBase64String(c.GetValue<string>()) : null;
        if (key.Derived && context is null)
        {
            return Error(400, "missing 'context' for key derivation; the key was created using a derived key");
        }

        switch (route[0])
        {
            case "encrypt":
                var plaintext = Convert.FromBase64String(body["plaintext"]!.GetValue<string>());
                var version = key.Versions.Count;
                var box = new byte[plaintext.Length + AesGcmBox.Overhead];
                AesGcmBox.Seal(key.Material(version, context), plaintext, aad, box);
                return new FakeResponse(200, new JsonObject { ["data"] = new JsonObject { ["ciphertext"] = $"vault:v{version}:{Convert.ToBase64String(box)}", ["key_version"] = version } }.ToJsonString());

            case "decrypt":
                var parts = body["ciphertext"]!.GetValue<string>().Split(':');
                if (parts.Length != 3 || parts[0] != "vault" || !int.TryParse(parts[1].AsSpan(1), out var v) || v < 1 || v > key.Versions.Count)
                {
                    return Error(400, "invalid ciphertext: no prefix");
                }

                if (v < key.MinDecryptionVersion)
                {
                    return Error(400, "ciphertext or signature version is disallowed by policy (too old)");
                }

                byte[] sealedBox;
                try
                {
                    sealedBox = Convert.FromBase64String(parts[2]);
                }
                catch (FormatException)
                {
                    return Error(400, "invalid ciphertext: could not decode");
                }

                var opened = new byte[Math.Max(0, sealedBox.Length - AesGcmBox.Overhead)];
                return AesGcmBox.TryOpen(key.Material(v, context), sealedBox, aad, opened)
                    ? new FakeResponse(200, new JsonObject { ["data"] = new JsonObject { ["plaintext"] = Convert.ToBase64String(opened) } }.ToJsonString())
                    : Error(400, "cipher: message authentication failed");

            default:
                return Error(404, "no handler for route");
        }
    }

    private sealed class TransitKey(bool derived)
    {
        public bool Derived { get; } = derived;

        public List<byte[]> Versions { get; } = [];

        public int MinDecryptionVersion { get; set; } = 1;

        // A derived key is a per-context key; Vault uses HKDF over the context too.
        public byte[] Material(int version, byte[]? context)
            => Derived ? HKDF.DeriveKey(HashAlgorithmName.SHA256, Versions[version - 1], 32, info: context) : Versions[version - 1];
    }
}
