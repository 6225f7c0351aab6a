namespace Eventuali.Server;

/// <summary>What is known about an API key; never its secret or hash.</summary>
/// <param name="Id">The key's public id (the part of the key before its secret).</param>
/// <param name="Role">What it may do.</param>
/// <param name="Scope">The stream-id prefix it may reach ("" is every stream).</param>
/// <param name="Tenant">The tenant it belongs to, or null (recorded; not yet enforced).</param>
/// <param name="CreatedAt">When it was created.</param>
/// <param name="ExpiresAt">When it stops working, or null for never.</param>
/// <param name="LastUsedAt">When it was last accepted (to the minute), or null if never.</param>
/// <param name="RevokedAt">When it was revoked, or null.</param>
public sealed record ApiKeyInfo(
    string Id,
    ApiRole Role,
    string Scope,
    string? Tenant,
    DateTimeOffset CreatedAt,
    DateTimeOffset? ExpiresAt,
    DateTimeOffset? LastUsedAt,
    DateTimeOffset? RevokedAt)
{
    /// <summary>Whether the key is accepted at <paramref name="now"/>: not revoked and not expired.</summary>
    public bool IsActiveAt(DateTimeOffset now) => RevokedAt is null && (ExpiresAt is null || ExpiresAt > now);
}

/// <summary>A key just created: <see cref="Key"/> is the only time its secret is available.</summary>
/// <param name="Key">The full key to hand to the client (<c>evk_ID_SECRET</c>); it is stored only as a salted hash.</param>
/// <param name="Info">What was recorded about it.</param>
public sealed record CreatedApiKey(string Key, ApiKeyInfo Info);
