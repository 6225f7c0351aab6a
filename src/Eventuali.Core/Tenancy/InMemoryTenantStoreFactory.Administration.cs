namespace Eventuali.Tenancy;

/// <summary>Per-tenant configuration and usage, kept in memory with the tenant.</summary>
public sealed partial class InMemoryTenantStoreFactory : ITenantAdministration, ICrossTenantAnalyticsSource
{
    /// <inheritdoc />
    public ValueTask<TenantConfiguration> GetConfigurationAsync(TenantId tenant, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
        {
            return ValueTask.FromResult(Find(tenant).Configuration);
        }
    }

    /// <inheritdoc />
    public ValueTask SetConfigurationAsync(TenantId tenant, TenantConfiguration configuration, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        cancellationToken.ThrowIfCancellationRequested();
        TenantConfigurationRules.Validate(configuration);
        lock (_gate)
        {
            var entry = Find(tenant);
            _tenants[tenant.Value] = entry with { Configuration = configuration };

            // The store is always open in memory: quotas apply at once.
            entry.Meter.Configure(configuration);
            Audit(tenant, "configured");
        }

        return ValueTask.CompletedTask;
    }

    /// <inheritdoc />
    public ValueTask<IReadOnlyList<TenantUsage>> ReadUsageAsync(TenantId? tenant, DateOnly? from, DateOnly? to, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        TenantConfigurationRules.ValidateRange(from, to);
        List<Entry> entries;
        lock (_gate)
        {
            entries = tenant is { } one ? [Find(one)] : [.. _tenants.Values.OrderBy(e => e.Info.Tenant.Value, StringComparer.Ordinal)];
        }

        IReadOnlyList<TenantUsage> usage = [.. entries.Select(e => e.Meter.Report(from, to, e.Store.StoredPayloadBytes()))];
        return ValueTask.FromResult(usage);
    }

    /// <summary>Opens a reader over this factory's tenants; <see cref="CrossTenantAnalyticsOptions.ReaderUrl"/> is ignored (it reads memory).</summary>
    public ValueTask<ICrossTenantAnalytics> OpenCrossTenantAnalyticsAsync(CrossTenantAnalyticsOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        cancellationToken.ThrowIfCancellationRequested();
        return ValueTask.FromResult<ICrossTenantAnalytics>(new CrossTenantAnalyticsReader(this, this, options.Grant, CountsAsync, AuditAsync));
    }

    private ValueTask<(long Streams, IReadOnlyList<KeyValuePair<string, long>> EventsByType)> CountsAsync(TenantId tenant, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        InMemory.InMemoryEventStore store;
        lock (_gate)
        {
            store = Find(tenant).Store;
        }

        return ValueTask.FromResult(store.Counts());
    }

    private ValueTask AuditAsync(TenantId tenant, string action, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
        {
            Audit(tenant, action);
        }

        return ValueTask.CompletedTask;
    }
}
