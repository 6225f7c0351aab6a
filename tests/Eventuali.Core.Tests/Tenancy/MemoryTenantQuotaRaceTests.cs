using Eventuali.Conformance;
using Eventuali.Tenancy;

namespace Eventuali.Core.Tests.Tenancy;

/// <summary>The 32-writer quota races, in memory: rows counted by reading the tenant's whole log.</summary>
public sealed class MemoryTenantQuotaRaceTests : TenantQuotaRaceConformance
{
    protected override ValueTask<ITenantStoreFactory> OpenFactoryAsync() => ValueTask.FromResult<ITenantStoreFactory>(new InMemoryTenantStoreFactory());

    protected override async ValueTask<(long Events, long Streams)> CountRowsAsync(ITenantStoreFactory factory, TenantId tenant)
    {
        await using var store = await factory.GetStoreAsync(tenant, TestContext.Current.CancellationToken);
        var rows = await store.ReadAllAsync(cancellationToken: TestContext.Current.CancellationToken).ToListAsync(TestContext.Current.CancellationToken);
        return (rows.Count, rows.Select(e => e.StreamId).Distinct(StringComparer.Ordinal).Count());
    }
}
