using Eventuali.Projections;
using Eventuali.Snapshots;
using Eventuali.Statistics;
using Eventuali.Subscriptions;
using Eventuali.Tenancy;
using Npgsql;

namespace Eventuali.PostgreSql.Tests.Rls;

/// <summary>Shared tables with row-level security: two tenants in the same tables, attacked for leaks both ways.</summary>
public sealed class PgRlsTests : IAsyncLifetime
{
    private readonly TenantId _a = PgRls.Tenant("acme");
    private readonly TenantId _b = PgRls.Tenant("bolt-2");
    private PgRls _rls = null!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync() => _rls = await PgRls.CreateAsync();

    public async ValueTask DisposeAsync() => await _rls.DisposeAsync();

    [Fact]
    public async Task Two_tenants_in_the_same_tables_see_only_their_own_rows_both_ways_on_one_pooled_connection()
    {
        // One connection in the application role's pool: every call of A and of B runs on the same server session.
        await using var factory = await _rls.OpenAsync("Maximum Pool Size=1");
        await factory.CreateTenantAsync(_a, Ct);
        await factory.CreateTenantAsync(_b, Ct);
        await using var a = await factory.GetStoreAsync(_a, Ct);
        await using var b = await factory.GetStoreAsync(_b, Ct);

        await a.AppendAsync("order-1", ExpectedVersion.NoStream, [PgRls.Event("a-placed", 1), PgRls.Event("a-paid", 2)], Ct);
        Assert.Null(await b.GetStreamVersionAsync("order-1", Ct));
        Assert.Empty(await b.ReadAllAsync(cancellationToken: Ct).ToListAsync(Ct));
        await b.AppendAsync("order-1", ExpectedVersion.NoStream, [PgRls.Event("b-placed", 1)], Ct);
        Assert.Equal(2, await a.GetStreamVersionAsync("order-1", Ct));

        Assert.Equal(["a-placed", "a-paid"], await a.ReadStreamAsync("order-1", cancellationToken: Ct).Select(e => e.EventType).ToListAsync(Ct));
        Assert.Equal(["b-placed"], await b.ReadStreamAsync("order-1", cancellationToken: Ct).Select(e => e.EventType).ToListAsync(Ct));
        Assert.Equal(["a-placed", "a-paid"], await a.ReadAllAsync(cancellationToken: Ct).Select(e => e.EventType).ToListAsync(Ct));
        Assert.Equal(["b-placed"], await b.ReadAllAsync(cancellationToken: Ct).Select(e => e.EventType).ToListAsync(Ct));

        await a.GetFeature<ICheckpointStore>()!.SaveCheckpointAsync("billing", 42, Ct);
        Assert.Null(await b.GetFeature<ICheckpointStore>()!.LoadCheckpointAsync("billing", Ct));
        await b.GetFeature<ISnapshotStore>()!.WriteSnapshotAsync(new StoredSnapshot("order-1", 1, 1, "order", 1, SnapshotCodec.None, 0, new byte[] { 1 }, DateTimeOffset.UnixEpoch), Ct);
        Assert.Null(await a.GetFeature<ISnapshotStore>()!.ReadSnapshotAsync("order-1", cancellationToken: Ct));
        var statsA = await a.GetFeature<IStoreStatistics>()!.GetStatisticsAsync(Ct);
        var statsB = await b.GetFeature<IStoreStatistics>()!.GetStatisticsAsync(Ct);
        Assert.Equal((2L, 1L), (statsA.Events, statsB.Events));

        // Usage is metered per tenant in the append's transaction and equals the rows.
        var usage = await factory.ReadUsageAsync(null, null, null, Ct);
        Assert.Equal([(_a, 2L, 1L), (_b, 1L, 1L)], usage.OrderBy(u => u.Tenant.Value).Select(u => (u.Tenant, u.Events, u.Streams)));
    }

    [Fact]
    public async Task Quotas_count_the_tenants_own_usage_and_refuse_before_writing()
    {
        await using var factory = await _rls.OpenAsync();
        await factory.CreateTenantAsync(_a, Ct);
        await factory.CreateTenantAsync(_b, Ct);
        await factory.SetConfigurationAsync(_a, new TenantConfiguration(new TenantQuotas(MaxEventsPerDay: 3, MaxStreams: null, MaxBytes: null), null), Ct);
        await using var a = await factory.GetStoreAsync(_a, Ct);
        await using var b = await factory.GetStoreAsync(_b, Ct);

        // B's appends are not A's usage.
        await b.AppendAsync("s", ExpectedVersion.Any, [PgRls.Event("b", 1), PgRls.Event("b", 2), PgRls.Event("b", 3)], Ct);
        await a.AppendAsync("s", ExpectedVersion.Any, [PgRls.Event("a", 1), PgRls.Event("a", 2)], Ct);
        await a.AppendAsync("s", ExpectedVersion.Any, [PgRls.Event("a", 3)], Ct);
        await Assert.ThrowsAsync<TenantQuotaExceededException>(async () => await a.AppendAsync("s", ExpectedVersion.Any, [PgRls.Event("a", 4)], Ct));
        Assert.Equal(3, await a.GetStreamVersionAsync("s", Ct));
    }

    [Fact]
    public async Task Read_models_and_a_tenants_listen_channel_are_its_own()
    {
        await using var factory = await _rls.OpenAsync();
        await factory.CreateTenantAsync(_a, Ct);
        await factory.CreateTenantAsync(_b, Ct);
        await using var a = await factory.GetStoreAsync(_a, Ct);
        await using var b = await factory.GetStoreAsync(_b, Ct);
        var pa = a.GetFeature<PostgreSqlEventStore>()!;
        var pb = b.GetFeature<PostgreSqlEventStore>()!;
        Assert.NotEqual(pa.NotificationChannel, pb.NotificationChannel);

        await using (var lease = await a.GetFeature<IProjectionStore>()!.TryAcquireProjectionAsync("orders", "test", Ct))
        await using (var tx = await lease!.BeginAsync(Ct))
        {
            await tx.Documents.PutAsync("order-1", """{"by":"a"}""", Ct);
            await tx.CommitAsync(Ct);
        }

        Assert.NotNull(await a.GetFeature<IProjectionStore>()!.GetProjectionDocumentAsync("orders", "order-1", Ct));
        Assert.Null(await b.GetFeature<IProjectionStore>()!.GetProjectionDocumentAsync("orders", "order-1", Ct));
        Assert.Empty(await b.GetFeature<IProjectionStore>()!.ListProjectionsAsync(Ct));

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        timeout.CancelAfter(TimeSpan.FromSeconds(60));
        await using var signals = pa.ListenForAppendsAsync(timeout.Token).GetAsyncEnumerator(timeout.Token);
        Assert.True(await signals.MoveNextAsync()); // listening
        await b.AppendAsync("order-1", ExpectedVersion.Any, [PgRls.Event("b", 1)], Ct);
        var own = await a.AppendAsync("order-1", ExpectedVersion.Any, [PgRls.Event("a", 1)], Ct);

        // NOTIFY is delivered in commit order: had B's wake-up reached A's channel, it would come first.
        Assert.True(await signals.MoveNextAsync());
        Assert.Equal(own.LastPosition, signals.Current);
    }

    [Fact]
    public async Task Sql_in_a_projection_that_switches_tenant_is_rolled_back_with_a_typed_error()
    {
        await using var factory = await _rls.OpenAsync();
        await factory.CreateTenantAsync(_a, Ct);
        await factory.CreateTenantAsync(_b, Ct);
        await using var a = await factory.GetStoreAsync(_a, Ct);
        await using var b = await factory.GetStoreAsync(_b, Ct);

        await using (var lease = await a.GetFeature<IProjectionStore>()!.TryAcquireProjectionAsync("orders", "test", Ct))
        {
            await using var tx = await lease!.BeginAsync(Ct);
            var pg = (PostgreSqlProjectionContext)tx.Backend!;
            await using (var sneak = pg.CreateCommand("SELECT set_config('eventuali.tenant', 'bolt-2', true)"))
            {
                await sneak.ExecuteNonQueryAsync(Ct);
            }

            // Written as B from A's transaction: the commit must refuse it.
            await tx.Documents.PutAsync("planted", "{}", Ct);
            var error = await Assert.ThrowsAsync<TenantContextChangedException>(async () => await tx.CommitAsync(Ct));
            Assert.Equal(_a, error.Tenant);
        }

        Assert.Null(await b.GetFeature<IProjectionStore>()!.GetProjectionDocumentAsync("orders", "planted", Ct));
        Assert.Null(await a.GetFeature<IProjectionStore>()!.GetProjectionDocumentAsync("orders", "planted", Ct));
    }

    [Fact]
    public async Task The_application_role_cannot_escape_row_level_security()
    {
        await using (var factory = await _rls.OpenAsync())
        {
            await factory.CreateTenantAsync(_a, Ct);
            await using var a = await factory.GetStoreAsync(_a, Ct);
            await a.AppendAsync("order-1", ExpectedVersion.NoStream, [PgRls.Event("a", 1)], Ct);
        }

        await using var app = await _rls.AppRawAsync();
        var events = $"\"{_rls.Schema}\".events";
        await AssertRefusedAsync(app, $"SET ROLE {_rls.OwnerRole}", "42501");
        await AssertRefusedAsync(app, $"TRUNCATE {events}", "42501");
        await AssertRefusedAsync(app, $"CREATE VIEW \"{_rls.Schema}\".peek AS SELECT * FROM {events}", "42501");
        await AssertRefusedAsync(app, $"ALTER TABLE {events} DISABLE ROW LEVEL SECURITY", "42501");

        // No tenant set (or set and reset): nothing is seen, and nothing can be written.
        Assert.Equal(0L, await ScalarAsync(app, $"SELECT count(*) FROM {events}"));
        Assert.Equal(0L, await ScalarAsync(app, $"BEGIN; SELECT set_config('eventuali.tenant', 'acme', true); RESET eventuali.tenant; SELECT count(*) FROM {events}; COMMIT"));
        await AssertRefusedAsync(app, $"INSERT INTO \"{_rls.Schema}\".streams (name) VALUES ('planted')", null);

        // Every table forces row-level security, every view runs as its caller, no routine runs as its owner.
        Assert.Equal(0L, await ScalarAsync(app, $"SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = '{_rls.Schema}' AND c.relkind IN ('r', 'p') AND NOT (c.relrowsecurity AND c.relforcerowsecurity)"));
        Assert.Equal(0L, await ScalarAsync(app, $"SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = '{_rls.Schema}' AND c.relkind = 'v' AND NOT coalesce('security_invoker=true' = ANY (c.reloptions), false)"));
        Assert.Equal(0L, await ScalarAsync(app, $"SELECT count(*) FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace WHERE n.nspname = '{_rls.Schema}' AND p.prosecdef"));
    }

    [Fact]
    public async Task Opening_as_a_role_that_rls_would_not_hold_or_without_the_owner_is_refused()
    {
        await using (var factory = await _rls.OpenAsync())
        {
            await factory.CreateTenantAsync(_a, Ct);
        }

        var superuser = PgTestServer.WithSchema(await PgRls.AdminUrlAsync(), _rls.Schema) + "&tenancy=rls";
        var super = await Assert.ThrowsAsync<EventStoreConfigurationException>(async () => await PostgreSqlRlsTenantStoreFactory.OpenAsync(superuser, null, EventStoreOptions.Default, create: false, Ct));
        Assert.Contains("superuser", super.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("pw", super.Message, StringComparison.Ordinal);

        await using (var ds = await PgRls.AdminAsync())
        {
            await PgRls.ExecAsync(ds, $"ALTER ROLE {_rls.AppRole} BYPASSRLS");
        }

        var bypass = await Assert.ThrowsAsync<EventStoreConfigurationException>(async () => await _rls.OpenAsync(owner: false));
        Assert.Contains("BYPASSRLS", bypass.Message, StringComparison.Ordinal);
        await using (var ds = await PgRls.AdminAsync())
        {
            await PgRls.ExecAsync(ds, $"ALTER ROLE {_rls.AppRole} NOBYPASSRLS");
        }

        var same = await Assert.ThrowsAsync<EventStoreConfigurationException>(async () => await PostgreSqlRlsTenantStoreFactory.OpenAsync(await _rls.OwnerUrlAsync(), await _rls.OwnerUrlAsync(), EventStoreOptions.Default, cancellationToken: Ct));
        Assert.Contains("owner", same.Message, StringComparison.Ordinal);

        // Without the owner: tenants' stores open, administration is refused naming the owner URL.
        await using var appOnly = await _rls.OpenAsync(owner: false);
        await using (var store = await appOnly.GetStoreAsync(_a, Ct))
        {
            await store.AppendAsync("s", ExpectedVersion.NoStream, [PgRls.Event("e", 1)], Ct);
        }

        var admin = await Assert.ThrowsAsync<EventStoreConfigurationException>(async () => await appOnly.CreateTenantAsync(_b, Ct));
        Assert.Contains("--owner-url", admin.Message, StringComparison.Ordinal);
        await Assert.ThrowsAsync<UnknownTenantException>(async () => await appOnly.GetStoreAsync(_b, Ct));
        var create = await Assert.ThrowsAsync<EventStoreConfigurationException>(async () => await PostgreSqlRlsTenantStoreFactory.OpenAsync(await _rls.AppUrlAsync(), null, EventStoreOptions.Default, create: true, Ct));
        Assert.Contains(PostgreSqlRlsTenantStoreFactory.OwnerUrlVariable, create.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Suspend_resume_and_two_step_delete_remove_exactly_the_tenants_rows()
    {
        await using var factory = await _rls.OpenAsync();
        await factory.CreateTenantAsync(_a, Ct);
        await factory.CreateTenantAsync(_b, Ct);
        Assert.Equal(_a, (await factory.CreateTenantAsync(_a, Ct)).Tenant); // idempotent
        await using (var a = await factory.GetStoreAsync(_a, Ct))
        await using (var b = await factory.GetStoreAsync(_b, Ct))
        {
            await a.AppendAsync("s", ExpectedVersion.NoStream, [PgRls.Event("a", 1)], Ct);
            await b.AppendAsync("s", ExpectedVersion.NoStream, [PgRls.Event("b", 1)], Ct);
        }

        await factory.SetSuspendedAsync(_a, true, Ct);
        await Assert.ThrowsAsync<TenantSuspendedException>(async () => await factory.GetStoreAsync(_a, Ct));
        await factory.SetSuspendedAsync(_a, false, Ct);
        var token = await factory.RequestDeletionAsync(_a, Ct);
        await Assert.ThrowsAsync<TenantDeletionException>(async () => await factory.PurgeTenantAsync(_a, "wrong", Ct));
        await factory.PurgeTenantAsync(_a, token, Ct);

        Assert.Equal([_b], (await factory.ListTenantsAsync(Ct)).Select(t => t.Tenant));
        Assert.Contains(await factory.ReadAuditAsync(Ct), r => r.Tenant == _a && r.Action == "purged");
        await using var raw = await PgRls.AdminAsync();
        Assert.Equal(0L, await ScalarAsync(raw, $"SELECT count(*) FROM \"{_rls.Schema}\".events WHERE tenant_id = 'acme'"));
        Assert.Equal(1L, await ScalarAsync(raw, $"SELECT count(*) FROM \"{_rls.Schema}\".events WHERE tenant_id = 'bolt-2'"));
    }

    private static async Task AssertRefusedAsync(NpgsqlDataSource ds, string sql, string? sqlState)
    {
        await using var cmd = ds.CreateCommand(sql);
        var error = await Assert.ThrowsAsync<PostgresException>(async () => await cmd.ExecuteNonQueryAsync(Ct));
        if (sqlState is not null)
        {
            Assert.Equal(sqlState, error.SqlState);
        }
    }

    private static async Task<long> ScalarAsync(NpgsqlDataSource ds, string sql)
    {
        await using var cmd = ds.CreateCommand(sql);
        await using var reader = await cmd.ExecuteReaderAsync(Ct);
        long value = -1;
        do
        {
            while (await reader.ReadAsync(Ct))
            {
                if (reader.FieldCount == 1 && reader.GetFieldType(0) == typeof(long))
                {
                    value = reader.GetInt64(0);
                }
            }
        }
        while (await reader.NextResultAsync(Ct));
        return value;
    }
}
