using System.Text;
using Eventuali.Diagnostics;
using Eventuali.Tenancy;
using OpenTelemetry.Metrics;

namespace Eventuali.OpenTelemetry.Tests;

/// <summary>Per-tenant metrics: aggregated by tier, with opt-in top-N tenant series; never one series per tenant by default.</summary>
public sealed class TenantMetricTests
{
    private const int Tenants = 200;

    private static readonly string[] Tiers = ["free", "pro", "default"];

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Two_hundred_tenants_make_one_series_per_tier_and_top_n_only_when_asked()
    {
        using var collected = new Collected();
        await using var factory = new InMemoryTenantStoreFactory();
        var run = Guid.NewGuid().ToString("N")[..8];
        var ids = Enumerable.Range(0, Tenants).Select(i => TenantId.Parse($"m{i}-{run}")).ToList();
        for (var i = 0; i < Tenants; i++)
        {
            await factory.CreateTenantAsync(ids[i], Ct);
            await factory.SetConfigurationAsync(ids[i], new TenantConfiguration(Tier: i % 3 == 2 ? null : Tiers[i % 3]), Ct);
        }

        await AppendRoundAsync(factory, ids);
        var byTier = Points.Of(collected.Metric(EventualiInstruments.TenantEventsAppended));
        Assert.Equal(["default", "free", "pro"], byTier.Select(p => (string)p.Tags[EventualiAttributes.TenantTier]!).Order(StringComparer.Ordinal));
        Assert.All(byTier, p => Assert.Single(p.Tags));
        for (var t = 0; t < 3; t++)
        {
            var expected = Enumerable.Range(0, Tenants).Where(i => i % 3 == t).Sum(i => (long)(i + 1));
            Assert.Equal(expected, byTier.Single(p => Equals(p.Tags[EventualiAttributes.TenantTier], Tiers[t])).LongValue);
        }

        Assert.Equal("By", collected.Metric(EventualiInstruments.TenantBytesAppended).Unit);
        Assert.DoesNotContain(collected.All(), m => m.Name.StartsWith("eventuali.tenant.top.", StringComparison.Ordinal) && m.MetricPoints.Count > 0);
        Assert.InRange(TenantSeries(collected), 1, 2 * Tiers.Length);

        // Opt in to the 5 heaviest tenants: 5 more series per instrument, whatever the number of tenants.
        Assert.Throws<ArgumentOutOfRangeException>(() => TenantMetrics.TopTenants = TenantMetrics.MaxTopTenants + 1);
        TenantMetrics.TopTenants = 5;
        try
        {
            await AppendRoundAsync(factory, ids);
            var top = Points.Of(collected.Metric(EventualiInstruments.TopTenantEventsAppended));
            Assert.Equal(ids[^5..].Select(t => t.Value).Reverse(), top.OrderByDescending(p => p.LongValue).Select(p => (string)p.Tags[EventualiAttributes.TenantId]!));
            Assert.Equal(Tenants, top.Max(p => p.LongValue));
            Assert.Equal(5, Points.Of(collected.Metric(EventualiInstruments.TopTenantBytesAppended)).Count);
            Assert.InRange(TenantSeries(collected), 1, (2 * Tiers.Length) + (2 * 5));
        }
        finally
        {
            TenantMetrics.TopTenants = 0;
        }
    }

    [Fact]
    public async Task A_sqlite_tenant_store_counts_committed_appends_under_its_tier()
    {
        var directory = Directory.CreateTempSubdirectory("eventuali-tenant-metrics-").FullName;
        try
        {
            using var collected = new Collected();
            var tier = "t" + Guid.NewGuid().ToString("N")[..8];
            await using var factory = await EventStore.OpenTenantsAsync($"sqlite://{directory}/?tenancy=file&durability=relaxed", cancellationToken: Ct);
            var tenant = TenantId.Parse("acme");
            await factory.CreateTenantAsync(tenant, Ct);
            await ((ITenantAdministration)factory).SetConfigurationAsync(tenant, new TenantConfiguration(Tier: tier), Ct);
            await using var store = await factory.GetStoreAsync(tenant, Ct);
            await store.AppendAsync("s", ExpectedVersion.NoStream, [Event(3), Event(4)], Ct);
            await Assert.ThrowsAsync<ConcurrencyException>(async () => await store.AppendAsync("s", ExpectedVersion.NoStream, [Event(1)], Ct)); // refused: not counted

            var events = Points.Of(collected.Metric(EventualiInstruments.TenantEventsAppended)).Single(p => Equals(p.Tags[EventualiAttributes.TenantTier], tier));
            var bytes = Points.Of(collected.Metric(EventualiInstruments.TenantBytesAppended)).Single(p => Equals(p.Tags[EventualiAttributes.TenantTier], tier));
            Assert.Equal((2L, 7L), (events.LongValue, bytes.LongValue));
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    // Tenant i appends i + 1 events of 1 byte each.
    private static async Task AppendRoundAsync(InMemoryTenantStoreFactory factory, List<TenantId> ids)
    {
        for (var i = 0; i < ids.Count; i++)
        {
            await using var store = await factory.GetStoreAsync(ids[i], Ct);
            await store.AppendAsync("orders", ExpectedVersion.Any, [.. Enumerable.Range(0, i + 1).Select(_ => Event(1))], Ct);
        }
    }

    private static int TenantSeries(Collected collected)
        => collected.All().Where(m => m.Name.StartsWith("eventuali.tenant.", StringComparison.Ordinal)).Sum(m => Points.Of(m).Count);

    private static EventData Event(int bytes) => new(EventData.NewEventId(), "placed", Encoding.UTF8.GetBytes(new string('x', bytes)));
}
