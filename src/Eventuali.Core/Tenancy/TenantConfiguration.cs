namespace Eventuali.Tenancy;

/// <summary>
/// A tenant's own settings, stored in the tenant registry and applied when the tenant's store is opened. A null setting
/// keeps what the factory's URL and options say.
/// </summary>
/// <param name="Quotas">The tenant's limits (null: none).</param>
/// <param name="Durability">How the tenant's commits are made durable (null: the factory's, from its URL or options).</param>
public sealed record TenantConfiguration(TenantQuotas? Quotas = null, Durability? Durability = null)
{
    /// <summary>Nothing set: every tenant default applies.</summary>
    public static TenantConfiguration Default { get; } = new();
}
