namespace Eventuali.Security.KeyServices;

/// <summary>How <see cref="AzureKeyVaultKeyProvider"/> reaches Azure Key Vault (or Managed HSM) and which RSA keys it uses.</summary>
public sealed class AzureKeyVaultKeyProviderOptions
{
    /// <summary>The vault's URI, e.g. <c>https://my-vault.vault.azure.net/</c>.</summary>
    public required Uri VaultUri { get; init; }

    /// <summary>
    /// Returns a bearer access token for the scope <c>https://vault.azure.net/.default</c> (called per request, so the
    /// token source decides caching and refresh: a managed identity, a workload identity, a service principal...).
    /// </summary>
    public required Func<CancellationToken, ValueTask<string>> AccessToken { get; init; }

    /// <summary>The RSA keys (names) that may unwrap data keys: the active one and every older one still wrapping data keys.</summary>
    public required IReadOnlyList<string> KeyNames { get; init; }

    /// <summary>The key that wraps new data keys (its current version); the last of <see cref="KeyNames"/> when null.</summary>
    public string? ActiveKeyName { get; init; }

    /// <summary>The wrap algorithm; <c>RSA-OAEP-256</c> by default (<c>RSA-OAEP</c> is accepted for older keys).</summary>
    public string Algorithm { get; init; } = "RSA-OAEP-256";

    /// <summary>The Key Vault REST API version; <c>7.4</c> by default.</summary>
    public string ApiVersion { get; init; } = "7.4";

    /// <summary>How long one request may take before it fails as transient; 10 seconds by default.</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>The HTTP client to send with (for proxies or custom handlers); a shared pooled client when null.</summary>
    public HttpClient? HttpClient { get; init; }
}
