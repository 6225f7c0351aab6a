namespace Eventuali.Security.Keys;

/// <summary>
/// A key provider could not do what was asked: the key id is unknown, the wrapped key or its associated data do
/// not match, the key file is missing or unsafe, or the provider is unreachable. The message names the provider and
/// the key id and never contains key material.
/// </summary>
public sealed class KeyProviderException : Exception
{
    /// <summary>Creates the exception.</summary>
    public KeyProviderException(string message, string? keyId = null, bool isTransient = false, Exception? innerException = null)
        : base(message, innerException)
    {
        KeyId = keyId;
        IsTransient = isTransient;
    }

    /// <summary>The key id concerned, if any.</summary>
    public string? KeyId { get; }

    /// <summary>True when retrying may succeed (the provider was unreachable or throttled).</summary>
    public bool IsTransient { get; }
}
