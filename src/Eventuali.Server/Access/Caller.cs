namespace Eventuali.Server.Access;

/// <summary>An authenticated caller: who (for the audit log), what it may do, over which streams, and its rate-limit bucket.</summary>
internal sealed record Caller(string Actor, ApiRole Role, string Scope, string? Tenant, string RateKey)
{
    /// <summary>Whether the caller may see <paramref name="streamId"/>: inside its scope and not one of the server's own streams.</summary>
    public bool CanSee(string streamId)
        => streamId.StartsWith(Scope, StringComparison.Ordinal) && !IsReserved(streamId);

    public bool Has(ApiRole role) => Role >= role;

    public static bool IsReserved(string streamId) => streamId.StartsWith(ApiKeyStore.ReservedPrefix, StringComparison.Ordinal);

    /// <summary>
    /// The narrowest stream-id prefix that covers both the caller's scope and a requested category, so the store does
    /// the filtering; null when they cannot overlap (the caller may see nothing of that category).
    /// </summary>
    public string? NarrowPrefix(string? category)
    {
        if (string.IsNullOrEmpty(category))
        {
            return Scope;
        }

        if (category.StartsWith(Scope, StringComparison.Ordinal))
        {
            return category;
        }

        return Scope.StartsWith(category, StringComparison.Ordinal) ? Scope : null;
    }
}
