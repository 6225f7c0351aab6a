using Eventuali.Snapshots;
using Eventuali.Statistics;
using Eventuali.Subscriptions;
using Eventuali.Tenancy;

namespace Eventuali.PostgreSql.Tests.Tenancy;

/// <summary>Schema per tenant: two tenants of one factory attacked for leaks in both directions.</summary>
public sealed class PgTenantIsolationTests : IAsyncLifetime
{
    private readonly string _base = PgTenants.NewBase();
    private readonly TenantId _a = TenantId.Parse("acme");
    private readonly TenantId _b = TenantId.Parse("bolt-2");

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public ValueTask InitializeAsync() => ValueTask.CompletedTask;

    public async ValueTask DisposeAsync() => await PgTenants.DropAsync(_base);

    [Fact]
    public async Task The_same_stream_id_in_two_tenants_is_two_streams_both_ways_on_one_pooled_connection()
    {
        // One connection in the pool: every call of A and of B runs on the same server session, one after the other.
        await using var factory = await PgTenants.OpenAsync(_base, "Maximum Pool Size=1");
        await factory.CreateTenantAsync(_a, Ct);
        await factory.CreateTenantAsync(_b, Ct);
        await using var a = await factory.GetStoreAsync(_a, Ct);
        await using var b = await factory.GetStoreAsync(_b, Ct);

        await a.AppendAsync("order-1", ExpectedVersion.NoStream, [PgTenants.Event("a-placed", 1), PgTenants.Event("a-paid", 2)], Ct);
        Assert.Null(await b.GetStreamVersionAsync("order-1", Ct));
        Assert.Empty(await b.ReadAllAsync(cancellationToken: Ct).ToListAsync(Ct));
        await b.AppendAsync("order-1", ExpectedVersion.NoStream, [PgTenants.Event("b-placed", 1)], Ct);
        Assert.Equal(2, await a.GetStreamVersionAsync("order-1", Ct));

        Assert.Equal(["a-placed", "a-paid"], await a.ReadStreamAsync("order-1", cancellationToken: Ct).Select(e => e.EventType).ToListAsync(Ct));
        Assert.Equal(["b-placed"], await b.ReadStreamAsync("order-1", cancellationToken: Ct).Select(e => e.EventType).ToListAsync(Ct));
        Assert.Equal(["a-placed", "a-paid"], await a.ReadAllAsync(cancellationToken: Ct).Select(e => e.EventType).ToListAsync(Ct));
        Assert.Equal(["b-placed"], await b.ReadAllAsync(cancellationToken: Ct).Select(e => e.EventType).ToListAsync(Ct));

        // Checkpoints, snapshots and statistics of one tenant are not the other's.
        await a.GetFeature<ICheckpointStore>()!.SaveCheckpointAsync("billing", 42, Ct);
        Assert.Null(await b.GetFeature<ICheckpointStore>()!.LoadCheckpointAsync("billing", Ct));
        await b.GetFeature<ISnapshotStore>()!.WriteSnapshotAsync(new StoredSnapshot("order-1", 1, 1, "order", 1, SnapshotCodec.None, 0, new byte[] { 1 }, DateTimeOffset.UnixEpoch), Ct);
        Assert.Null(await a.GetFeature<ISnapshotStore>()!.ReadSnapshotAsync("order-1", cancellationToken: Ct));
        var statsA = await a.GetFeature<IStoreStatistics>()!.GetStatisticsAsync(Ct);
        var statsB = await b.GetFeature<IStoreStatistics>()!.GetStatisticsAsync(Ct);
        Assert.Equal((2L, 1L), (statsA.Events, statsB.Events));
        Assert.Equal(1, factory.PoolCount);
    }

    [Fact]
    public async Task A_tenant_listens_on_its_own_channel_and_sees_no_other_tenant_wake_up()
    {
        await using var factory = await PgTenants.OpenAsync(_base);
        await factory.CreateTenantAsync(_a, Ct);
        await factory.CreateTenantAsync(_b, Ct);
        await using var a = await factory.GetStoreAsync(_a, Ct);
        await using var b = await factory.GetStoreAsync(_b, Ct);
        var pa = a.GetFeature<PostgreSqlEventStore>()!;
        var pb = b.GetFeature<PostgreSqlEventStore>()!;
        Assert.NotEqual(pa.NotificationChannel, pb.NotificationChannel);
        Assert.Equal((factory.SchemaOf(_a), factory.SchemaOf(_b)), (pa.Schema, pb.Schema));
        Assert.Equal(_base + "_t_bolt_2", pb.Schema);

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        timeout.CancelAfter(TimeSpan.FromSeconds(60));
        await using var signals = pa.ListenForAppendsAsync(timeout.Token).GetAsyncEnumerator(timeout.Token);
        Assert.True(await signals.MoveNextAsync()); // listening
        await b.AppendAsync("order-1", ExpectedVersion.Any, [PgTenants.Event("b", 1)], Ct);
        var own = await a.AppendAsync("order-1", ExpectedVersion.Any, [PgTenants.Event("a", 1)], Ct);

        // NOTIFY is delivered in commit order: had B's wake-up reached A's channel, it would come first.
        Assert.True(await signals.MoveNextAsync());
        Assert.Equal(own.LastPosition, signals.Current);
    }

    [Fact]
    public async Task Subscriptions_of_a_tenant_see_only_its_events()
    {
        await using var factory = await PgTenants.OpenAsync(_base);
        await factory.CreateTenantAsync(_a, Ct);
        await factory.CreateTenantAsync(_b, Ct);
        await using var a = await factory.GetStoreAsync(_a, Ct);
        await using var b = await factory.GetStoreAsync(_b, Ct);
        await a.AppendAsync("s", ExpectedVersion.Any, [PgTenants.Event("a-1", 1)], Ct);
        await b.AppendAsync("s", ExpectedVersion.Any, [PgTenants.Event("b-1", 1), PgTenants.Event("b-2", 2)], Ct);

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        timeout.CancelAfter(TimeSpan.FromSeconds(60));
        var seen = new List<string>();
        var writer = Task.Run(async () => await a.AppendAsync("s", ExpectedVersion.Any, [PgTenants.Event("a-2", 2)], Ct), Ct);
        await foreach (var e in a.SubscribeToAllAsync(cancellationToken: timeout.Token))
        {
            seen.Add(e.EventType);
            if (seen.Count == 2)
            {
                break;
            }
        }

        await writer;
        Assert.Equal(["a-1", "a-2"], seen);
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
