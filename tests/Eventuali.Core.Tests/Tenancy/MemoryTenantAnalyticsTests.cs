using System.Text;
using Eventuali.Tenancy;

namespace Eventuali.Core.Tests.Tenancy;

/// <summary>In-memory cross-tenant analytics: opted-in tenants only, a named tenant that did not opt in refused.</summary>
public sealed class MemoryTenantAnalyticsTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Aggregates_cover_opted_in_tenants_only_and_refusals_read_nothing()
    {
        await using var factory = new InMemoryTenantStoreFactory();
        var (a, b) = (TenantId.Parse("a"), TenantId.Parse("b"));
        foreach (var tenant in new[] { a, b })
        {
            await factory.CreateTenantAsync(tenant, Ct);
            await using var store = await factory.GetStoreAsync(tenant, Ct);
            await store.AppendAsync("s", ExpectedVersion.NoStream, [Ev("x"), Ev("y"), Ev("x")], Ct);
            Assert.Null(store.GetFeature<ICrossTenantAnalyticsSource>());
        }

        await factory.SetConfigurationAsync(a, new TenantConfiguration(AllowCrossTenantAnalytics: true, Tier: "free"), Ct);
        var analytics = await factory.OpenCrossTenantAnalyticsAsync(new(new CrossTenantAnalyticsGrant("capacity planning")), Ct);
        var only = Assert.Single(await analytics.ReadAsync(cancellationToken: Ct));
        Assert.Equal((a, "free", 1L, 3L, 0L), (only.Tenant, only.Tier, only.Streams, only.Usage.Events, only.Usage.Reads)); // analytics reads are not the tenant's reads
        Assert.Equal([new("x", 2), new KeyValuePair<string, long>("y", 1)], only.EventsByType);

        var audited = (await factory.ReadAuditAsync(Ct)).Count;
        var refused = await Assert.ThrowsAsync<CrossTenantAnalyticsNotPermittedException>(async () => await analytics.ReadAsync([a, b], Ct));
        Assert.Equal(b, refused.Tenant);
        Assert.Equal(audited, (await factory.ReadAuditAsync(Ct)).Count);
        Assert.Contains(await factory.ReadAuditAsync(Ct), r => r.Tenant == a && r.Action == "analytics-read: capacity planning");
        await Assert.ThrowsAsync<EventStoreConfigurationException>(async () => await factory.OpenCrossTenantAnalyticsAsync(new(new CrossTenantAnalyticsGrant(" ")), Ct));
    }

    private static EventData Ev(string type) => new(EventData.NewEventId(), type, Encoding.UTF8.GetBytes("{}"));
}
