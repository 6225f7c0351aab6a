using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Eventuali.Security.KeyServices;

/// <summary>
/// AWS Signature Version 4 (AWS4-HMAC-SHA256) for header-signed requests: canonical request, string to sign, the
/// derived signing key and the Authorization header, as the AWS General Reference specifies them. The secret key
/// only ever enters an HMAC; it is never part of a string that could be logged.
/// </summary>
internal static class AwsSigV4
{
    public const string Algorithm = "AWS4-HMAC-SHA256";
    public const string EmptyPayloadHash = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

    /// <summary>The Authorization header value for a request; <paramref name="headers"/> are the headers to sign (host and x-amz-date among them).</summary>
    public static string Authorization(
        string method, string path, string query, IEnumerable<KeyValuePair<string, string>> headers, string payloadHash,
        string accessKeyId, string secretAccessKey, string region, string service, DateTimeOffset time)
    {
        var (canonical, signedHeaders) = CanonicalRequest(method, path, query, headers, payloadHash);
        var signature = Signature(canonical, secretAccessKey, region, service, time);
        return $"{Algorithm} Credential={accessKeyId}/{Scope(region, service, time)}, SignedHeaders={signedHeaders}, Signature={signature}";
    }

    /// <summary>The hex signature of a canonical request.</summary>
    public static string Signature(string canonicalRequest, string secretAccessKey, string region, string service, DateTimeOffset time)
    {
        var key = SigningKey(secretAccessKey, time, region, service);
        return Convert.ToHexStringLower(HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(StringToSign(canonicalRequest, region, service, time))));
    }

    public static string StringToSign(string canonicalRequest, string region, string service, DateTimeOffset time)
        => $"{Algorithm}\n{AmzDate(time)}\n{Scope(region, service, time)}\n{Hex(Encoding.UTF8.GetBytes(canonicalRequest))}";

    public static byte[] SigningKey(string secretAccessKey, DateTimeOffset time, string region, string service)
    {
        var date = HMACSHA256.HashData(Encoding.UTF8.GetBytes("AWS4" + secretAccessKey), Encoding.UTF8.GetBytes(Day(time)));
        var regional = HMACSHA256.HashData(date, Encoding.UTF8.GetBytes(region));
        var serviceKey = HMACSHA256.HashData(regional, Encoding.UTF8.GetBytes(service));
        return HMACSHA256.HashData(serviceKey, "aws4_request"u8);
    }

    /// <summary>The canonical request and the signed-headers list (lower-cased, sorted, ';'-joined).</summary>
    public static (string Canonical, string SignedHeaders) CanonicalRequest(
        string method, string path, string query, IEnumerable<KeyValuePair<string, string>> headers, string payloadHash)
    {
        var canonicalHeaders = headers
            .GroupBy(h => h.Key.ToLowerInvariant(), StringComparer.Ordinal)
            .Select(g => (Name: g.Key, Value: string.Join(',', g.Select(h => CollapseSpaces(h.Value)))))
            .OrderBy(h => h.Name, StringComparer.Ordinal)
            .ToList();
        var signed = string.Join(';', canonicalHeaders.Select(h => h.Name));
        var builder = new StringBuilder()
            .Append(method).Append('\n')
            .Append(string.IsNullOrEmpty(path) ? "/" : path).Append('\n')
            .Append(CanonicalQuery(query)).Append('\n');
        foreach (var (name, value) in canonicalHeaders)
        {
            builder.Append(name).Append(':').Append(value).Append('\n');
        }

        builder.Append('\n').Append(signed).Append('\n').Append(payloadHash);
        return (builder.ToString(), signed);
    }

    public static string AmzDate(DateTimeOffset time) => time.UtcDateTime.ToString("yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture);

    public static string Hex(ReadOnlySpan<byte> payload) => Convert.ToHexStringLower(SHA256.HashData(payload));

    private static string Day(DateTimeOffset time) => time.UtcDateTime.ToString("yyyyMMdd", CultureInfo.InvariantCulture);

    private static string Scope(string region, string service, DateTimeOffset time) => $"{Day(time)}/{region}/{service}/aws4_request";

    // Parameters sorted by encoded name, then encoded value; each name and value URI-encoded once (RFC 3986).
    private static string CanonicalQuery(string query)
    {
        var trimmed = query.StartsWith('?') ? query[1..] : query;
        if (trimmed.Length == 0)
        {
            return "";
        }

        return string.Join('&', trimmed.Split('&', StringSplitOptions.RemoveEmptyEntries)
            .Select(p => p.Split('=', 2))
            .Select(p => (Name: Encode(Uri.UnescapeDataString(p[0])), Value: Encode(p.Length > 1 ? Uri.UnescapeDataString(p[1]) : "")))
            .OrderBy(p => p.Name, StringComparer.Ordinal)
            .ThenBy(p => p.Value, StringComparer.Ordinal)
            .Select(p => p.Name + "=" + p.Value));
    }

    private static string Encode(string value) => Uri.EscapeDataString(value);

    private static string CollapseSpaces(string value)
    {
        var builder = new StringBuilder(value.Length);
        var space = false;
        foreach (var c in value.Trim())
        {
            if (c == ' ')
            {
                if (!space)
                {
                    builder.Append(c);
                }

                space = true;
            }
            else
            {
                builder.Append(c);
                space = false;
            }
        }

        return builder.ToString();
    }
}
