namespace Eventuali.Security.KeyServices;

/// <summary>How <see cref="VaultTransitKeyProvider"/> reaches HashiCorp Vault's transit secrets engine and which keys it uses.</summary>
public sealed class VaultTransitKeyProviderOptions
{
    /// <summary>Vault's address, e.g. <c>https://vault.example.com:8200/</c>.</summary>
    public required Uri Address { get; init; }

    /// <summary>Returns the Vault token sent as X-Vault-Token (called per request, so a renewed or re-issued token is picked up).</summary>
    public required Func<CancellationToken, ValueTask<string>> Token { get; init; }

    /// <summary>The transit keys that may unwrap data keys: the active one and every older one still wrapping data keys.</summary>
    public required IReadOnlyList<string> KeyNames { get; init; }

    /// <summary>The transit key that wraps new data keys; the last of <see cref="KeyNames"/> when null.</summary>
    public string? ActiveKeyName { get; init; }

    /// <summary>Where the transit engine is mounted; <c>transit</c> by default.</summary>
    public string MountPath { get; init; } = "transit";

    /// <summary>The Vault Enterprise namespace sent as X-Vault-Namespace, or null.</summary>
    public string? Namespace { get; init; }

    /// <summary>
    /// False (the default): the associated data is sent as <c>associated_data</c>, the AAD of an AES-GCM or
    /// ChaCha20-Poly1305 transit key. True: it is sent as <c>context</c>, for keys created with <c>derived=true</c>,
    /// where it selects the derived key.
    /// </summary>
    public bool UseKeyDerivationContext { get; init; }

    /// <summary>How long one request may take before it fails as transient; 10 seconds by default.</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>The HTTP client to send with (for proxies, custom CAs or handlers); a shared pooled client when null.</summary>
    public HttpClient? HttpClient { get; init; }
}
