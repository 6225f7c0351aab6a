namespace Eventuali.Tenancy;

/// <summary>
/// The backend-independent part of cross-tenant analytics: checks the grant, picks the opted-in tenants (refusing a
/// named one that did not opt in before reading anything), reads usage through <see cref="ITenantAdministration"/>,
/// and leaves the per-tenant counts and the audit line to the backend.
/// </summary>
internal sealed class CrossTenantAnalyticsReader : ICrossTenantAnalytics
{
    private const int MaxPurpose = 200;

    private readonly ITenantStoreFactory _factory;
    private readonly ITenantAdministration _admin;
    private readonly Func<TenantId, CancellationToken, ValueTask<(long Streams, IReadOnlyList<KeyValuePair<string, long>> EventsByType)>> _counts;
    private readonly Func<TenantId, string, CancellationToken, ValueTask> _audit;

    public CrossTenantAnalyticsReader(
        ITenantStoreFactory factory,
        ITenantAdministration admin,
        CrossTenantAnalyticsGrant grant,
        Func<TenantId, CancellationToken, ValueTask<(long Streams, IReadOnlyList<KeyValuePair<string, long>> EventsByType)>> counts,
        Func<TenantId, string, CancellationToken, ValueTask> audit)
    {
        ArgumentNullException.ThrowIfNull(grant);
        var purpose = grant.Purpose?.Trim();
        if (string.IsNullOrEmpty(purpose) || purpose.Length > MaxPurpose || purpose.Any(char.IsControl))
        {
            throw new EventStoreConfigurationException($"A cross-tenant analytics grant needs a purpose of 1 to {MaxPurpose} characters on one line (it is written to each read tenant's audit trail).");
        }

        (_factory, _admin, _counts, _audit) = (factory, admin, counts, audit);
        Grant = grant with { Purpose = purpose };
    }

    public CrossTenantAnalyticsGrant Grant { get; }

    public async ValueTask<IReadOnlyList<TenantAnalytics>> ReadAsync(IReadOnlyList<TenantId>? tenants = null, CancellationToken cancellationToken = default)
    {
        var registered = await _factory.ListTenantsAsync(cancellationToken).ConfigureAwait(false);
        var chosen = new List<(TenantId Tenant, TenantConfiguration Configuration)>();
        if (tenants is null)
        {
            foreach (var info in registered)
            {
                var configuration = await _admin.GetConfigurationAsync(info.Tenant, cancellationToken).ConfigureAwait(false);
                if (configuration.AllowCrossTenantAnalytics)
                {
                    chosen.Add((info.Tenant, configuration));
                }
            }
        }
        else
        {
            // Every named tenant is checked before any is read: a refusal reads nothing.
            foreach (var tenant in tenants.Distinct().OrderBy(t => t.Value, StringComparer.Ordinal))
            {
                var configuration = await _admin.GetConfigurationAsync(tenant, cancellationToken).ConfigureAwait(false);
                chosen.Add(configuration.AllowCrossTenantAnalytics ? (tenant, configuration) : throw new CrossTenantAnalyticsNotPermittedException(tenant));
            }
        }

        var result = new List<TenantAnalytics>(chosen.Count);
        foreach (var (tenant, configuration) in chosen)
        {
            var (streams, byType) = await _counts(tenant, cancellationToken).ConfigureAwait(false);
            var usage = (await _admin.ReadUsageAsync(tenant, null, null, cancellationToken).ConfigureAwait(false))[0];
            await _audit(tenant, "analytics-read: " + Grant.Purpose, cancellationToken).ConfigureAwait(false);
            result.Add(new TenantAnalytics(tenant, configuration.TierOrDefault, streams, byType, usage));
        }

        return result;
    }
}
