namespace Eventuali.Security.KeyServices;

/// <summary>
/// An AWS access key for signing KMS requests (Signature Version 4). A class, not a record, so that no generated
/// <c>ToString</c> prints the secret: <see cref="ToString"/> shows the access key id only.
/// </summary>
public sealed class AwsCredentials
{
    /// <summary>Creates the credentials.</summary>
    public AwsCredentials(string accessKeyId, string secretAccessKey, string? sessionToken = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(accessKeyId);
        ArgumentException.ThrowIfNullOrWhiteSpace(secretAccessKey);
        AccessKeyId = accessKeyId;
        SecretAccessKey = secretAccessKey;
        SessionToken = sessionToken;
    }

    /// <summary>The access key id (public: it appears in each request's Authorization header).</summary>
    public string AccessKeyId { get; }

    /// <summary>The secret access key; it only keys the signature and never appears in a message.</summary>
    public string SecretAccessKey { get; }

    /// <summary>The session token of temporary credentials, sent as X-Amz-Security-Token; null for long-term keys.</summary>
    public string? SessionToken { get; }

    /// <inheritdoc />
    public override string ToString() => $"AWS access key {AccessKeyId}";
}

/// <summary>How <see cref="AwsKmsKeyProvider"/> reaches AWS KMS and which KMS keys it uses.</summary>
public sealed class AwsKmsKeyProviderOptions
{
    /// <summary>The AWS region of the keys, e.g. <c>eu-west-1</c>; part of the signature's scope.</summary>
    public required string Region { get; init; }

    /// <summary>Returns the credentials to sign each request with (called per request, so rotated credentials are picked up).</summary>
    public required Func<CancellationToken, ValueTask<AwsCredentials>> Credentials { get; init; }

    /// <summary>
    /// The KMS keys (key ids, key ARNs or alias ARNs) that may unwrap data keys: the active one and every older one
    /// still wrapping data keys.
    /// </summary>
    public required IReadOnlyList<string> KeyIds { get; init; }

    /// <summary>The KMS key that wraps new data keys; the last of <see cref="KeyIds"/> when null.</summary>
    public string? ActiveKeyId { get; init; }

    /// <summary>The KMS endpoint; <c>https://kms.{Region}.amazonaws.com/</c> when null (set it for a VPC endpoint or FIPS).</summary>
    public Uri? Endpoint { get; init; }

    /// <summary>How long one request may take before it fails as transient; 10 seconds by default.</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>The HTTP client to send with (for proxies or custom handlers); a shared pooled client when null.</summary>
    public HttpClient? HttpClient { get; init; }

    /// <summary>The clock that dates each signature; the system clock when null.</summary>
    public TimeProvider? TimeProvider { get; init; }
}
