using System.Diagnostics.Metrics;
using Eventuali.Diagnostics;
using Eventuali.Tenancy;
using Npgsql;

namespace Eventuali.PostgreSql.Tests.Tenancy;

/// <summary>
/// Schema per tenant: the analytics opt-in and the tier are stored in the registry (which an older registry migrates
/// to), and cross-tenant analytics reads as a role of its own that the database lets see opted-in tenants only.
/// </summary>
public sealed class PgTenantAnalyticsTests : IAsyncLifetime
{
    private readonly string _base = PgTenants.NewBase();
    private readonly TenantId _a = TenantId.Parse("a");
    private readonly TenantId _b = TenantId.Parse("b");
    private readonly TenantId _c = TenantId.Parse("c");

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public ValueTask InitializeAsync() => ValueTask.CompletedTask;

    public async ValueTask DisposeAsync() => await PgTenants.DropAsync(_base);

    [Fact]
    public async Task The_reader_role_sees_opted_in_tenants_only_and_the_grant_follows_opt_out_and_suspension()
    {
        await using var factory = await PgTenants.OpenAsync(_base, "analytics_role=" + PgTenants.AnalyticsRole);
        foreach (var (tenant, types) in new[] { (_a, new[] { "x", "x", "y" }), (_b, ["x"]), (_c, ["z"]) })
        {
            await factory.CreateTenantAsync(tenant, Ct);
            await using var store = await factory.GetStoreAsync(tenant, Ct);
            for (var i = 0; i < types.Length; i++)
            {
                await store.AppendAsync($"s-{i % 2}", ExpectedVersion.Any, [PgTenants.Event(types[i], i)], Ct);
            }
        }

        await factory.SetConfigurationAsync(_a, new TenantConfiguration(AllowCrossTenantAnalytics: true, Tier: "pro"), Ct);
        await factory.SetConfigurationAsync(_c, new TenantConfiguration(AllowCrossTenantAnalytics: true), Ct);
        var readerUrl = await PgTenants.ReaderUrlAsync();

        // The provisioning role itself is not a reader: analytics is authorised separately.
        var grant = new CrossTenantAnalyticsOptions(new CrossTenantAnalyticsGrant("billing"));
        var self = await Assert.ThrowsAsync<EventStoreConfigurationException>(async () => await factory.OpenCrossTenantAnalyticsAsync(grant with { ReaderUrl = await PgTestServer.UrlAsync() }, Ct));
        Assert.Contains("role of its own", self.Message, StringComparison.Ordinal);

        // Without a reader URL the open is refused, naming where the URL goes; the options never print it.
        var none = await Assert.ThrowsAsync<ArgumentException>(async () => await factory.OpenCrossTenantAnalyticsAsync(grant, Ct));
        Assert.Contains("ReaderUrl", none.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(readerUrl, (grant with { ReaderUrl = readerUrl }).ToString(), StringComparison.Ordinal);

        var analytics = await factory.OpenCrossTenantAnalyticsAsync(new(new CrossTenantAnalyticsGrant(" billing ")) { ReaderUrl = readerUrl }, Ct);
        var all = await analytics.ReadAsync(cancellationToken: Ct);
        Assert.Equal([_a, _c], all.Select(t => t.Tenant));
        Assert.Equal(("pro", 2L, 3L), (all[0].Tier, all[0].Streams, all[0].Usage.Events));
        Assert.Equal([new("x", 2), new KeyValuePair<string, long>("y", 1)], all[0].EventsByType);
        Assert.Equal(("default", 1L), (all[1].Tier, all[1].Streams));

        var audited = (await factory.ReadAuditAsync(Ct)).Count;
        var refused = await Assert.ThrowsAsync<CrossTenantAnalyticsNotPermittedException>(async () => await analytics.ReadAsync([_a, _b], Ct));
        Assert.Equal(_b, refused.Tenant);
        Assert.Equal(audited, (await factory.ReadAuditAsync(Ct)).Count); // nothing read, nothing audited
        Assert.Equal(["a", "c"], (await factory.ReadAuditAsync(Ct)).Where(r => r.Action == "analytics-read: billing").Select(r => r.Tenant.Value));

        // The database agrees: as the reader's role, b's events are out of reach, a's are not.
        Assert.Equal(3, await CountAsReaderAsync(readerUrl, factory.SchemaOf(_a)));
        Assert.Equal("42501", (await Assert.ThrowsAsync<PostgresException>(async () => await CountAsReaderAsync(readerUrl, factory.SchemaOf(_b)))).SqlState);
        await Assert.ThrowsAsync<PostgresException>(async () => await CountAsReaderAsync(readerUrl, _base, "tenants")); // nor the registry

        // Opting out and suspending withdraw the grant; resuming an opted-in tenant gives it back.
        await factory.SetConfigurationAsync(_c, TenantConfiguration.Default, Ct);
        await Assert.ThrowsAsync<PostgresException>(async () => await CountAsReaderAsync(readerUrl, factory.SchemaOf(_c)));
        await factory.SetSuspendedAsync(_a, true, Ct);
        await Assert.ThrowsAsync<PostgresException>(async () => await CountAsReaderAsync(readerUrl, factory.SchemaOf(_a)));
        Assert.Empty(await analytics.ReadAsync(cancellationToken: Ct));
        await Assert.ThrowsAsync<TenantSuspendedException>(async () => await analytics.ReadAsync([_a], Ct));
        await factory.SetSuspendedAsync(_a, false, Ct);
        Assert.Equal(3, await CountAsReaderAsync(readerUrl, factory.SchemaOf(_a)));
        Assert.Equal([_a], (await analytics.ReadAsync(cancellationToken: Ct)).Select(t => t.Tenant));
    }

    [Fact]
    public async Task Opting_in_needs_an_analytics_role_and_the_settings_survive_reopening_an_older_registry()
    {
        await using (var factory = await PgTenants.OpenAsync(_base))
        {
            await factory.CreateTenantAsync(_a, Ct);
            var noRole = await Assert.ThrowsAsync<EventStoreConfigurationException>(async () => await factory.SetConfigurationAsync(_a, new TenantConfiguration(AllowCrossTenantAnalytics: true), Ct));
            Assert.Contains("analytics_role", noRole.Message, StringComparison.Ordinal);
            Assert.False((await factory.GetConfigurationAsync(_a, Ct)).AllowCrossTenantAnalytics); // nothing stored
            await factory.SetConfigurationAsync(_a, new TenantConfiguration(new TenantQuotas(MaxStreams: 5), Tier: "gold"), Ct);
        }

        // As if made before the registry was versioned: no version table, no columns for the opt-in and the tier.
        await ExecAsync($"DROP TABLE \"{_base}\".tenant_registry; ALTER TABLE \"{_base}\".tenant_config DROP COLUMN analytics, DROP COLUMN analytics_role, DROP COLUMN tier");
        await using (var reopened = await PostgreSqlTenantStoreFactory.OpenAsync(await PgTenants.UrlAsync(_base, "analytics_role=" + PgTenants.AnalyticsRole), EventStoreOptions.Default, create: false, Ct))
        {
            Assert.Equal(new TenantConfiguration(new TenantQuotas(MaxStreams: 5)), await reopened.GetConfigurationAsync(_a, Ct));
            await reopened.SetConfigurationAsync(_a, new TenantConfiguration(AllowCrossTenantAnalytics: true, Tier: "gold"), Ct);
        }

        await using var again = await PostgreSqlTenantStoreFactory.OpenAsync(await PgTenants.UrlAsync(_base), EventStoreOptions.Default, create: false, Ct);
        Assert.Equal(new TenantConfiguration(AllowCrossTenantAnalytics: true, Tier: "gold"), await again.GetConfigurationAsync(_a, Ct));
    }

    [Fact]
    public async Task A_tenant_store_counts_committed_appends_under_its_tier()
    {
        var tier = "t" + Guid.NewGuid().ToString("N")[..8];
        long events = 0;
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Name == EventualiInstruments.TenantEventsAppended)
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<long>((_, value, tags, _) =>
        {
            foreach (var tag in tags)
            {
                if (tag.Key == EventualiAttributes.TenantTier && Equals(tag.Value, tier))
                {
                    Interlocked.Add(ref events, value);
                }
            }
        });
        listener.Start();

        await using var factory = await PgTenants.OpenAsync(_base);
        await factory.CreateTenantAsync(_a, Ct);
        await factory.SetConfigurationAsync(_a, new TenantConfiguration(Tier: tier), Ct);
        await using var store = await factory.GetStoreAsync(_a, Ct);
        EventData[] pair = [PgTenants.Event("e", 1), PgTenants.Event("e", 2)];
        await store.AppendAsync("s", ExpectedVersion.NoStream, pair, Ct);
        await store.AppendAsync("s", ExpectedVersion.NoStream, pair, Ct); // replayed: not counted again
        await Assert.ThrowsAsync<ConcurrencyException>(async () => await store.AppendAsync("s", ExpectedVersion.NoStream, [PgTenants.Event("e", 3)], Ct));
        await Task.WhenAll(Enumerable.Range(0, 8).Select(i => store.AppendAsync($"g-{i}", ExpectedVersion.NoStream, [PgTenants.Event("e", i)], Ct).AsTask()));
        Assert.Equal(10, Interlocked.Read(ref events));
    }

    private static async Task<long> CountAsReaderAsync(string readerUrl, string schema, string table = "events")
    {
        await using var source = NpgsqlDataSource.Create(PgUrl.Parse(readerUrl).Builder.ConnectionString);
        await using var cmd = source.CreateCommand($"SELECT count(*) FROM \"{schema}\".\"{table}\"");
        return (long)(await cmd.ExecuteScalarAsync(Ct))!;
    }

    private static async Task ExecAsync(string sql)
    {
        await using var raw = await PgTestServer.RawAsync();
        await using var cmd = raw.CreateCommand(sql);
        await cmd.ExecuteNonQueryAsync(Ct);
    }
}
