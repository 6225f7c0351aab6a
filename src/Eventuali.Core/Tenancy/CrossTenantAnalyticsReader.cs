namespace Eventuali.Tenancy;

/// <summary>
/// The backend-independent part of cross-tenant analytics: checks the grant, picks the opted-in tenants (refusing a
/// named one that did not opt in, or is suspended, before reading anything), reads usage through
/// <see cref="ITenantAdministration"/> unless the backend reads it itself, and leaves the per-tenant counts and the
/// audit line to the backend.
/// </summary>
internal sealed class CrossTenantAnalyticsReader : ICrossTenantAnalytics
{
    private const int MaxPurpose = 200;

    private readonly ITenantStoreFactory _factory;
    private readonly ITenantAdministration _admin;
    private readonly Func<TenantId, CancellationToken, ValueTask<(long Streams, IReadOnlyList<KeyValuePair<string, long>> EventsByType)>> _counts;
    private readonly Func<TenantId, string, CancellationToken, ValueTask> _audit;
    private readonly Func<TenantId, CancellationToken, ValueTask<TenantUsage>> _usage;

    public CrossTenantAnalyticsReader(
        ITenantStoreFactory factory,
        ITenantAdministration admin,
        CrossTenantAnalyticsGrant grant,
        Func<TenantId, CancellationToken, ValueTask<(long Streams, IReadOnlyList<KeyValuePair<string, long>> EventsByType)>> counts,
        Func<TenantId, string, CancellationToken, ValueTask> audit,
        Func<TenantId, CancellationToken, ValueTask<TenantUsage>>? usage = null)
    {
        ArgumentNullException.ThrowIfNull(grant);
        var purpose = grant.Purpose?.Trim();
        if (string.IsNullOrEmpty(purpose) || purpose.Length > MaxPurpose || purpose.Any(char.IsControl))
        {
            throw new EventStoreConfigurationException($"A cross-tenant analytics grant needs a purpose of 1 to {MaxPurpose} characters on one line (it is written to each read tenant's audit trail).");
        }

        (_factory, _admin, _counts, _audit) = (factory, admin, counts, audit);
        _usage = usage ?? (async (tenant, ct) => (await admin.ReadUsageAsync(tenant, null, null, ct).ConfigureAwait(false))[0]);
        Grant = grant with { Purpose = purpose };
    }

    public CrossTenantAnalyticsGrant Grant { get; }

    public async ValueTask<IReadOnlyList<TenantAnalytics>> ReadAsync(IReadOnlyList<TenantId>? tenants = null, CancellationToken cancellationToken = default)
    {
        var registered = await _factory.ListTenantsAsync(cancellationToken).ConfigureAwait(false);
        var chosen = new List<(TenantId Tenant, TenantConfiguration Configuration)>();
        if (tenants is null)
        {
            // A suspended tenant is left out: its grant is withdrawn while it is suspended.
            foreach (var info in registered.Where(i => !i.Suspended))
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
                if (registered.FirstOrDefault(i => i.Tenant == tenant) is { Suspended: true })
                {
                    throw new TenantSuspendedException(tenant);
                }

                var configuration = await _admin.GetConfigurationAsync(tenant, cancellationToken).ConfigureAwait(false);
                chosen.Add(configuration.AllowCrossTenantAnalytics ? (tenant, configuration) : throw new CrossTenantAnalyticsNotPermittedException(tenant));
            }
        }

        var result = new List<TenantAnalytics>(chosen.Count);
        foreach (var (tenant, configuration) in chosen)
        {
            var (streams, byType) = await _counts(tenant, cancellationToken).ConfigureAwait(false);
            var usage = await _usage(tenant, cancellationToken).ConfigureAwait(false);
            await _audit(tenant, "analytics-read: " + Grant.Purpose, cancellationToken).ConfigureAwait(false);
            result.Add(new TenantAnalytics(tenant, configuration.TierOrDefault, streams, byType, usage));
        }

        return result;
    }
}
