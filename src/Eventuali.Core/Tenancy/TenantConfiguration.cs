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

    /// <summary>
    /// What the tenant's store keeps of every stream (its <see cref="EventStoreOptions.Retention"/>), applied by
    /// <see cref="Lifecycle.StreamRetention.ApplyStoreRetentionAsync"/> on the tenant's store. Null: the factory's.
    /// </summary>
    public Lifecycle.StoreRetention? Retention { get; init; }

    /// <summary>
    /// The tenant's snapshot interval: its repositories take a snapshot every this many events, for every snapshottable
    /// aggregate type (<see cref="Snapshots.SnapshotOptions.WithEveryEvents"/>). Null: the application's policies.
    /// </summary>
    public int? SnapshotEveryEvents { get; init; }

    /// <summary>
    /// Field encryption for the tenant: true requires it (the tenant's store refuses an event marked as personal data,
    /// header <c>eventuali-personal</c>, that arrives unencrypted), false refuses it (the store refuses encrypted events),
    /// null leaves it to the application.
    /// </summary>
    public bool? Encryption { get; init; }
}
