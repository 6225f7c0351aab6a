namespace Eventuali.Tenancy;

/// <summary>
/// A tenant's own settings, stored in the tenant registry and applied when the tenant's store is opened. A null setting
/// keeps what the factory's URL and options say.
/// </summary>
/// <param name="Quotas">The tenant's limits (null: none).</param>
public sealed record TenantConfiguration(TenantQuotas? Quotas = null)
{
    /// <summary>Nothing set: every tenant default applies.</summary>
    public static TenantConfiguration Default { get; } = new();
}
