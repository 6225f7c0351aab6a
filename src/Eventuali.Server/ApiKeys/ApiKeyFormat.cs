using System.Security.Cryptography;
using System.Text;

namespace Eventuali.Server;

/// <summary>
/// The key text <c>evk_ID_SECRET</c>: a 16-hex-digit public id (how the key is found and named in lists and the
/// audit log) and a 256-bit random secret (base64url). Only HMAC-SHA-256(salt, secret) is stored, with a random
/// 128-bit salt per key: the secret is random, so a slow password hash would add nothing but latency.
/// </summary>
internal static class ApiKeyFormat
{
    public const string Prefix = "evk_";
    private const int IdBytes = 8;
    private const int SecretBytes = 32;
    private const int SaltBytes = 16;

    public static (string Key, string Id, byte[] Salt, byte[] Hash) NewKey()
    {
        var id = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(IdBytes));
        var secret = Base64Url(RandomNumberGenerator.GetBytes(SecretBytes));
        var salt = RandomNumberGenerator.GetBytes(SaltBytes);
        return ($"{Prefix}{id}_{secret}", id, salt, Hash(salt, secret));
    }

    /// <summary>Splits a presented key into id and secret; false when it is not shaped like one of ours.</summary>
    public static bool TryParse(string? key, out string id, out string secret)
    {
        id = secret = "";
        if (key is null || key.Length > 200 || !key.StartsWith(Prefix, StringComparison.Ordinal))
        {
            return false;
        }

        var rest = key.AsSpan(Prefix.Length);
        var underscore = rest.IndexOf('_');
        if (underscore != IdBytes * 2 || rest.Length - underscore - 1 < 16)
        {
            return false;
        }

        id = rest[..underscore].ToString();
        secret = rest[(underscore + 1)..].ToString();
        return IsHex(id);
    }

    public static byte[] Hash(byte[] salt, string secret) => HMACSHA256.HashData(salt, Encoding.UTF8.GetBytes(secret));

    public static bool Matches(byte[] salt, byte[] hash, string secret)
        => CryptographicOperations.FixedTimeEquals(Hash(salt, secret), hash);

    public static bool IsValidId(string id) => id.Length == IdBytes * 2 && IsHex(id);

    private static bool IsHex(string text)
    {
        foreach (var c in text)
        {
            if (!char.IsAsciiHexDigitLower(c) && !char.IsAsciiDigit(c))
            {
                return false;
            }
        }

        return true;
    }

    private static string Base64Url(byte[] bytes)
        => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
