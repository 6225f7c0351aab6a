using Eventuali.Security.Keys;

namespace Eventuali.Security.KeyServices;

/// <summary>The key ids a key-service provider may use (add-then-promote: every configured one unwraps, the active one wraps).</summary>
internal sealed class KeyRing
{
    private readonly HashSet<string> _ids;
    private readonly string _provider;

    public KeyRing(string provider, IReadOnlyList<string> keyIds, string? active)
    {
        ArgumentNullException.ThrowIfNull(keyIds);
        if (keyIds.Count == 0 || keyIds.Any(string.IsNullOrWhiteSpace))
        {
            throw new KeyProviderException($"{provider} needs at least one key id, and none may be empty.");
        }

        _provider = provider;
        _ids = new HashSet<string>(keyIds, StringComparer.Ordinal);
        Active = active ?? keyIds[^1];
        if (!_ids.Contains(Active))
        {
            throw new KeyProviderException($"{provider}: the active key '{Active}' is not among the configured key ids.", Active);
        }
    }

    public string Active { get; }

    public string Require(string keyId)
    {
        ArgumentNullException.ThrowIfNull(keyId);
        return _ids.Contains(keyId)
            ? keyId
            : throw new KeyProviderException($"{_provider}: key '{keyId}' is not among the configured key ids.", keyId);
    }
}
