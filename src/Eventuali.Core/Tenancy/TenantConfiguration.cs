namespace Eventuali.Tenancy;

/// <summary>
/// A tenant's own settings, stored in the tenant registry and applied when the tenant's store is opened. A null setting
/// keeps what the factory's URL and options say.
/// </summary>
/// <param name="Quotas">The tenant's limits (null: none).</param>
/// <param name="Durability">How the tenant's commits are made durable (null: the factory's, from its URL or options).</param>
/// <param name="AllowCrossTenantAnalytics">
/// Whether the tenant opted in to cross-tenant analytics (<see cref="ICrossTenantAnalytics"/>): its counts and usage
/// may be aggregated with other tenants'. Off unless set.
/// </param>
/// <param name="Tier">
/// The tenant's tier (e.g. "free", "pro"): the label its metrics are aggregated under, so metrics grow with the tiers,
/// not the tenants. 1-32 lower-case letters, digits, hyphens or underscores; null is <see cref="DefaultTier"/>.
/// </param>
public sealed record TenantConfiguration(TenantQuotas? Quotas = null, Durability? Durability = null, bool AllowCrossTenantAnalytics = false, string? Tier = null)
{
    /// <summary>The tier of a tenant whose configuration names none: <c>default</c>.</summary>
    public const string DefaultTier = "default";

    /// <summary>Nothing set: every tenant default applies.</summary>
    public static TenantConfiguration Default { get; } = new();

    /// <summary>The tier, or <see cref="DefaultTier"/> when none is set.</summary>
    public string TierOrDefault => Tier ?? DefaultTier;
}
