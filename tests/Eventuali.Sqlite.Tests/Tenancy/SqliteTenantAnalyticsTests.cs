using Eventuali.Tenancy;
using Microsoft.Data.Sqlite;

namespace Eventuali.Sqlite.Tests.Tenancy;

/// <summary>
/// File-per-tenant SQLite: cross-tenant analytics reads only tenants that opted in, through a reader opened from the
/// factory with a grant; the opt-in and the tier are stored in the registry, which an older registry migrates to.
/// </summary>
public sealed class SqliteTenantAnalyticsTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("eventuali-analytics-").FullName;
    private readonly TenantId _a = TenantId.Parse("a");
    private readonly TenantId _b = TenantId.Parse("b");
    private readonly TenantId _c = TenantId.Parse("c");

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public async Task Aggregates_cover_opted_in_tenants_only_and_a_named_tenant_that_did_not_opt_in_is_refused()
    {
        await using var factory = await OpenAsync();
        foreach (var (tenant, types) in new[] { (_a, new[] { "x", "x", "y" }), (_b, ["x"]), (_c, ["z"]) })
        {
            await factory.CreateTenantAsync(tenant, Ct);
            await using var store = await factory.GetStoreAsync(tenant, Ct);
            for (var i = 0; i < types.Length; i++)
            {
                await store.AppendAsync($"s-{i % 2}", ExpectedVersion.Any, [SqliteTenantUsageTests.Event(types[i], i)], Ct);
            }

            Assert.Null(store.GetFeature<ICrossTenantAnalyticsSource>()); // a tenant's store never hands out the reader
        }

        await factory.SetConfigurationAsync(_a, new TenantConfiguration(AllowCrossTenantAnalytics: true, Tier: "pro"), Ct);
        await factory.SetConfigurationAsync(_c, new TenantConfiguration(AllowCrossTenantAnalytics: true), Ct);
        // A reader URL is PostgreSQL's: here it is ignored.
        var analytics = await factory.OpenCrossTenantAnalyticsAsync(new(new CrossTenantAnalyticsGrant(" billing ")) { ReaderUrl = "postgresql://ignored@nowhere/db" }, Ct);
        Assert.Equal("billing", analytics.Grant.Purpose);

        var all = await analytics.ReadAsync(cancellationToken: Ct);
        Assert.Equal([_a, _c], all.Select(t => t.Tenant));
        Assert.Equal(("pro", 2L, 3L), (all[0].Tier, all[0].Streams, all[0].Usage.Events));
        Assert.Equal([new("x", 2), new KeyValuePair<string, long>("y", 1)], all[0].EventsByType);
        Assert.Equal(("default", 1L), (all[1].Tier, all[1].Streams));
        Assert.Equal([new KeyValuePair<string, long>("z", 1)], all[1].EventsByType);

        var audited = (await factory.ReadAuditAsync(Ct)).Count;
        var refused = await Assert.ThrowsAsync<CrossTenantAnalyticsNotPermittedException>(async () => await analytics.ReadAsync([_a, _b], Ct));
        Assert.Equal(_b, refused.Tenant);
        Assert.Contains("'b'", refused.Message, StringComparison.Ordinal);
        Assert.Equal(audited, (await factory.ReadAuditAsync(Ct)).Count); // nothing was read, so nothing audited
        await Assert.ThrowsAsync<UnknownTenantException>(async () => await analytics.ReadAsync([TenantId.Parse("nobody")], Ct));

        Assert.Equal([_c], (await analytics.ReadAsync([_c], Ct)).Select(t => t.Tenant));
        var reads = (await factory.ReadAuditAsync(Ct)).Where(r => r.Action == "analytics-read: billing").Select(r => r.Tenant.Value).ToList();
        Assert.Equal(["a", "c", "c"], reads);
    }

    [Fact]
    public async Task A_grant_needs_a_purpose()
    {
        await using var factory = await OpenAsync();
        foreach (var purpose in new[] { "", "  ", "two\nlines", new string('p', 201) })
        {
            await Assert.ThrowsAsync<EventStoreConfigurationException>(async () => await factory.OpenCrossTenantAnalyticsAsync(new(new CrossTenantAnalyticsGrant(purpose)), Ct));
        }
    }

    [Fact]
    public async Task Opt_in_and_tier_are_stored_in_the_registry_and_checked()
    {
        await using (var factory = await OpenAsync())
        {
            await factory.CreateTenantAsync(_a, Ct);
            Assert.Equal((false, "default"), ((await factory.GetConfigurationAsync(_a, Ct)).AllowCrossTenantAnalytics, (await factory.GetConfigurationAsync(_a, Ct)).TierOrDefault));
            await factory.SetConfigurationAsync(_a, new TenantConfiguration(new TenantQuotas(MaxStreams: 3), AllowCrossTenantAnalytics: true, Tier: "gold_2"), Ct);
            foreach (var tier in new[] { "", "Gold", "a b", new string('t', 33) })
            {
                var bad = await Assert.ThrowsAsync<EventStoreConfigurationException>(async () => await factory.SetConfigurationAsync(_a, new TenantConfiguration(Tier: tier), Ct));
                Assert.Contains("tier", bad.Message, StringComparison.Ordinal);
            }
        }

        await using var reopened = await OpenAsync();
        Assert.Equal(new TenantConfiguration(new TenantQuotas(MaxStreams: 3), null, true, "gold_2"), await reopened.GetConfigurationAsync(_a, Ct));
    }

    [Fact]
    public async Task A_registry_from_before_the_analytics_columns_is_migrated_in_place_keeping_its_settings()
    {
        // The registry's tables as first shipped (user_version 0), with one configured tenant.
        using (var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = Path.Combine(_directory, "tenants.db"), Pooling = false }.ToString()))
        {
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = """
                CREATE TABLE tenants (id TEXT PRIMARY KEY, created_at TEXT NOT NULL, suspended INTEGER NOT NULL DEFAULT 0, deletion_token TEXT) STRICT;
                CREATE TABLE tenant_config (id TEXT PRIMARY KEY, max_events_per_day INTEGER, max_streams INTEGER, max_bytes INTEGER, durability TEXT) STRICT;
                CREATE TABLE tenant_audit (seq INTEGER PRIMARY KEY, at TEXT NOT NULL, tenant TEXT NOT NULL, action TEXT NOT NULL) STRICT;
                INSERT INTO tenants (id, created_at) VALUES ('a', '2026-01-01T00:00:00.0000000Z');
                INSERT INTO tenant_config (id, max_events_per_day, durability) VALUES ('a', 9, 'full');
                """;
            command.ExecuteNonQuery();
        }

        for (var open = 0; open < 2; open++) // the second open finds it migrated
        {
            await using var factory = await OpenAsync();
            var kept = await factory.GetConfigurationAsync(_a, Ct);
            Assert.Equal((new TenantQuotas(MaxEventsPerDay: 9), Durability.Full, false), (kept.Quotas, kept.Durability, kept.AllowCrossTenantAnalytics));
            await factory.SetConfigurationAsync(_a, new TenantConfiguration(new TenantQuotas(MaxEventsPerDay: 9), Durability.Full, open == 1, "t"), Ct);
        }

        await using var last = await OpenAsync();
        Assert.True((await last.GetConfigurationAsync(_a, Ct)).AllowCrossTenantAnalytics);
        using var check = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = Path.Combine(_directory, "tenants.db"), Pooling = false }.ToString());
        check.Open();
        using var version = check.CreateCommand();
        version.CommandText = "PRAGMA user_version";
        Assert.Equal(2L, (long)version.ExecuteScalar()!);
    }

    private ValueTask<SqliteTenantStoreFactory> OpenAsync()
        => SqliteTenantStoreFactory.OpenAsync(_directory + "/?tenancy=file&durability=relaxed", EventStoreOptions.Default, cancellationToken: Ct);
}
