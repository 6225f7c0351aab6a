using System.Text;
using Eventuali.Tenancy;

namespace Eventuali.Conformance;

/// <summary>
/// 32 concurrent writers against one tenant's quota, on every backend: the daily event quota is never exceeded nor
/// missed by more than one batch, and exactly the stream quota's streams are created; the stored rows (counted by the
/// backend's own means) and the usage report agree.
/// </summary>
public abstract class TenantQuotaRaceConformance
{
    private const int Writers = 32;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>A factory over a fresh place for this test's tenants (disposed by the test).</summary>
    protected abstract ValueTask<ITenantStoreFactory> OpenFactoryAsync();

    /// <summary>The tenant's stored events and streams, counted from storage, not from the meter.</summary>
    protected abstract ValueTask<(long Events, long Streams)> CountRowsAsync(ITenantStoreFactory factory, TenantId tenant);

    [Fact]
    public async Task Thirty_two_concurrent_writers_never_go_over_the_daily_quota_nor_below_it_by_a_batch()
    {
        const int batch = 7;
        const long limit = 500;
        var tenant = TenantId.Parse("race-events");
        await using var factory = await OpenFactoryAsync();
        var admin = Assert.IsAssignableFrom<ITenantAdministration>(factory);
        await factory.CreateTenantAsync(tenant, Ct);
        await admin.SetConfigurationAsync(tenant, new TenantConfiguration(new TenantQuotas(MaxEventsPerDay: limit)), Ct);
        await using var store = await factory.GetStoreAsync(tenant, Ct);
        var refused = 0;
        await Task.WhenAll(Enumerable.Range(0, Writers).Select(w => Task.Run(async () =>
        {
            while (true)
            {
                try
                {
                    await store.AppendAsync($"w{w}", ExpectedVersion.Any, [.. Enumerable.Range(0, batch).Select(Event)], Ct);
                }
                catch (TenantQuotaExceededException ex)
                {
                    Assert.True(ex.Current + ex.Requested > ex.Limit);
                    Interlocked.Increment(ref refused);
                    return;
                }
            }
        }, Ct)));

        var rows = await CountRowsAsync(factory, tenant);
        Assert.InRange(rows.Events, limit - batch + 1, limit);
        Assert.Equal(Writers, refused);
        Assert.Equal(rows.Events, Assert.Single(await admin.ReadUsageAsync(tenant, null, null, Ct)).Events);
    }

    [Fact]
    public async Task Thirty_two_concurrent_writers_create_exactly_the_stream_quota()
    {
        var tenant = TenantId.Parse("race-streams");
        await using var factory = await OpenFactoryAsync();
        var admin = Assert.IsAssignableFrom<ITenantAdministration>(factory);
        await factory.CreateTenantAsync(tenant, Ct);
        await admin.SetConfigurationAsync(tenant, new TenantConfiguration(new TenantQuotas(MaxStreams: 10)), Ct);
        await using var store = await factory.GetStoreAsync(tenant, Ct);
        var outcomes = await Task.WhenAll(Enumerable.Range(0, Writers).Select(w => Task.Run(async () =>
        {
            try
            {
                await store.AppendAsync($"new-{w}", ExpectedVersion.NoStream, [Event(w)], Ct);
                return true;
            }
            catch (TenantQuotaExceededException)
            {
                return false;
            }
        }, Ct)));

        Assert.Equal(10, outcomes.Count(o => o));
        Assert.Equal((10L, 10L), await CountRowsAsync(factory, tenant));
        Assert.Equal(10, Assert.Single(await admin.ReadUsageAsync(tenant, null, null, Ct)).Streams);
    }

    // JSON in jsonb's own text form, so every backend stores exactly the bytes sent.
    private static EventData Event(int n) => new(EventData.NewEventId(), "q", Encoding.UTF8.GetBytes($"{{\"n\": {n}}}"));
}
