using Eventuali.Tenancy;

namespace Eventuali.PostgreSql.Tests.Tenancy;

/// <summary>Schema per tenant: the isolation checks (<see cref="PgTenantIsolation"/>), each tenant's schema, the bounded cache and one shared pool.</summary>
public sealed class PgTenantIsolationTests : PgTenantIsolation, IAsyncLifetime
{
    private readonly string _base = PgTenants.NewBase();

    public ValueTask InitializeAsync() => ValueTask.CompletedTask;

    public async ValueTask DisposeAsync() => await PgTenants.DropAsync(_base);

    protected override async ValueTask<ITenantStoreFactory> OpenFactoryAsync(bool oneConnection = false)
        => await PgTenants.OpenAsync(_base, oneConnection ? "Maximum Pool Size=1" : null);

    // Both tenants were served by the factory's one pool.
    protected override ValueTask CheckPlacesAsync(ITenantStoreFactory factory)
    {
        Assert.Equal(1, ((PostgreSqlTenantStoreFactory)factory).PoolCount);
        return ValueTask.CompletedTask;
    }

    [Fact]
    public async Task Each_tenants_store_is_in_its_own_schema()
    {
        await using var factory = await PgTenants.OpenAsync(_base);
        await factory.CreateTenantAsync(A, Ct);
        await factory.CreateTenantAsync(B, Ct);
        await using var a = await factory.GetStoreAsync(A, Ct);
        await using var b = await factory.GetStoreAsync(B, Ct);
        var (pa, pb) = (a.GetFeature<PostgreSqlEventStore>()!, b.GetFeature<PostgreSqlEventStore>()!);
        Assert.Equal((factory.SchemaOf(A), factory.SchemaOf(B)), (pa.Schema, pb.Schema));
        Assert.Equal(_base + "_t_bolt_2", pb.Schema);
    }

    [Fact]
    public async Task Open_tenant_stores_are_bounded_by_the_cache_and_share_one_pool()
    {
        await using var factory = await PgTenants.OpenAsync(_base, "cache=2");
        for (var i = 0; i < 6; i++)
        {
            var tenant = TenantId.Parse($"t{i}");
            await factory.CreateTenantAsync(tenant, Ct);
            await using var store = await factory.GetStoreAsync(tenant, Ct);
            await store.AppendAsync("s", ExpectedVersion.NoStream, [PgTenants.Event("e", i)], Ct);
            Assert.InRange(factory.OpenStoreCount, 1, 3);
        }

        Assert.Equal(2, factory.OpenStoreCount);
        Assert.Equal(1, factory.PoolCount);
    }

    [Fact]
    public async Task Bad_tenancy_urls_are_refused_with_what_was_wrong()
    {
        var url = PgTestServer.WithSchema(await PgTestServer.UrlAsync(), _base);
        var rls = await Assert.ThrowsAsync<EventStoreConfigurationException>(async () => await PostgreSqlTenantStoreFactory.OpenAsync(url + "&tenancy=rls", EventStoreOptions.Default, cancellationToken: Ct));
        Assert.Contains("PostgreSqlRlsTenantStoreFactory", rls.Message, StringComparison.Ordinal);
        var cache = await Assert.ThrowsAsync<EventStoreConfigurationException>(async () => await PostgreSqlTenantStoreFactory.OpenAsync(url + "&tenancy=schema&cache=0", EventStoreOptions.Default, cancellationToken: Ct));
        Assert.Contains("cache", cache.Message, StringComparison.Ordinal);
        var longBase = await Assert.ThrowsAsync<EventStoreConfigurationException>(async () => await PgTenants.OpenAsync("a_base_schema_too_long"));
        Assert.Contains("63-byte", longBase.Message, StringComparison.Ordinal);
    }
}
