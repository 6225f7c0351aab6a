using Eventuali.PostgreSql.Tests.Tenancy;
using Eventuali.Projections;
using Eventuali.Tenancy;
using Npgsql;

namespace Eventuali.PostgreSql.Tests.Rls;

/// <summary>
/// Shared tables with row-level security: two tenants in the same tables, attacked for leaks both ways (the isolation
/// checks of every mode, <see cref="PgTenantIsolation"/>), through the store and as the application role itself.
/// </summary>
public sealed class PgRlsTests : PgTenantIsolation, IAsyncLifetime
{
    private PgRls _rls = null!;

    public async ValueTask InitializeAsync() => _rls = await PgRls.CreateAsync();

    public async ValueTask DisposeAsync() => await _rls.DisposeAsync();

    protected override async ValueTask<ITenantStoreFactory> OpenFactoryAsync(bool oneConnection = false)
        => await _rls.OpenAsync(oneConnection ? "Maximum Pool Size=1" : null);

    [Fact]
    public async Task Quotas_count_the_tenants_own_usage_and_refuse_before_writing()
    {
        await using var factory = await _rls.OpenAsync();
        await factory.CreateTenantAsync(A, Ct);
        await factory.CreateTenantAsync(B, Ct);
        await factory.SetConfigurationAsync(A, new TenantConfiguration(new TenantQuotas(MaxEventsPerDay: 3, MaxStreams: null, MaxBytes: null), null), Ct);
        await using var a = await factory.GetStoreAsync(A, Ct);
        await using var b = await factory.GetStoreAsync(B, Ct);

        // B's appends are not A's usage.
        await b.AppendAsync("s", ExpectedVersion.Any, [Event("b", 1), Event("b", 2), Event("b", 3)], Ct);
        await a.AppendAsync("s", ExpectedVersion.Any, [Event("a", 1), Event("a", 2)], Ct);
        await a.AppendAsync("s", ExpectedVersion.Any, [Event("a", 3)], Ct);
        await Assert.ThrowsAsync<TenantQuotaExceededException>(async () => await a.AppendAsync("s", ExpectedVersion.Any, [Event("a", 4)], Ct));
        Assert.Equal(3, await a.GetStreamVersionAsync("s", Ct));
    }

    [Fact]
    public async Task Sql_in_a_projection_that_switches_tenant_is_rolled_back_with_a_typed_error()
    {
        await using var factory = await _rls.OpenAsync();
        await factory.CreateTenantAsync(A, Ct);
        await factory.CreateTenantAsync(B, Ct);
        await using var a = await factory.GetStoreAsync(A, Ct);
        await using var b = await factory.GetStoreAsync(B, Ct);

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
            Assert.Equal(A, error.Tenant);
        }

        Assert.Null(await b.GetFeature<IProjectionStore>()!.GetProjectionDocumentAsync("orders", "planted", Ct));
        Assert.Null(await a.GetFeature<IProjectionStore>()!.GetProjectionDocumentAsync("orders", "planted", Ct));
    }

    [Fact]
    public async Task The_application_role_cannot_escape_row_level_security()
    {
        await using (var factory = await _rls.OpenAsync())
        {
            await factory.CreateTenantAsync(A, Ct);
            await using var a = await factory.GetStoreAsync(A, Ct);
            await a.AppendAsync("order-1", ExpectedVersion.NoStream, [Event("a", 1)], Ct);
        }

        await using var app = _rls.AppRaw();
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
            await factory.CreateTenantAsync(A, Ct);
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
        await using (var store = await appOnly.GetStoreAsync(A, Ct))
        {
            await store.AppendAsync("s", ExpectedVersion.NoStream, [Event("e", 1)], Ct);
        }

        var admin = await Assert.ThrowsAsync<EventStoreConfigurationException>(async () => await appOnly.CreateTenantAsync(B, Ct));
        Assert.Contains("--owner-url", admin.Message, StringComparison.Ordinal);
        await Assert.ThrowsAsync<UnknownTenantException>(async () => await appOnly.GetStoreAsync(B, Ct));
        var create = await Assert.ThrowsAsync<EventStoreConfigurationException>(async () => await PostgreSqlRlsTenantStoreFactory.OpenAsync(await _rls.AppUrlAsync(), null, EventStoreOptions.Default, create: true, Ct));
        Assert.Contains(PostgreSqlRlsTenantStoreFactory.OwnerUrlVariable, create.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Suspend_resume_and_two_step_delete_remove_exactly_the_tenants_rows()
    {
        await using var factory = await _rls.OpenAsync();
        await factory.CreateTenantAsync(A, Ct);
        await factory.CreateTenantAsync(B, Ct);
        Assert.Equal(A, (await factory.CreateTenantAsync(A, Ct)).Tenant); // idempotent
        await using (var a = await factory.GetStoreAsync(A, Ct))
        await using (var b = await factory.GetStoreAsync(B, Ct))
        {
            await a.AppendAsync("s", ExpectedVersion.NoStream, [Event("a", 1)], Ct);
            await b.AppendAsync("s", ExpectedVersion.NoStream, [Event("b", 1)], Ct);
        }

        await factory.SetSuspendedAsync(A, true, Ct);
        await Assert.ThrowsAsync<TenantSuspendedException>(async () => await factory.GetStoreAsync(A, Ct));
        await factory.SetSuspendedAsync(A, false, Ct);
        var token = await factory.RequestDeletionAsync(A, Ct);
        await Assert.ThrowsAsync<TenantDeletionException>(async () => await factory.PurgeTenantAsync(A, "wrong", Ct));
        await factory.PurgeTenantAsync(A, token, Ct);

        Assert.Equal([B], (await factory.ListTenantsAsync(Ct)).Select(t => t.Tenant));
        Assert.Contains(await factory.ReadAuditAsync(Ct), r => r.Tenant == A && r.Action == "purged");
        await using var raw = await PgRls.AdminAsync();
        Assert.Equal(0L, await ScalarAsync(raw, $"SELECT count(*) FROM \"{_rls.Schema}\".events WHERE tenant_id = 'acme'"));
        Assert.Equal(1L, await ScalarAsync(raw, $"SELECT count(*) FROM \"{_rls.Schema}\".events WHERE tenant_id = 'bolt-2'"));
    }

    [Fact]
    public async Task The_application_role_bound_to_one_tenant_dumps_none_of_the_others_rows()
    {
        var written = new Dictionary<TenantId, HashSet<Guid>> { [A] = [], [B] = [] };
        await using (var factory = await _rls.OpenAsync())
        {
            foreach (var tenant in new[] { A, B })
            {
                await factory.CreateTenantAsync(tenant, Ct);
                await using var store = await factory.GetStoreAsync(tenant, Ct);
                foreach (var stream in new[] { "order-1", "account-1" })
                {
                    var e = Event(tenant.Value);
                    await store.AppendAsync(stream, ExpectedVersion.NoStream, [e], Ct);
                    written[tenant].Add(e.EventId);
                }
            }
        }

        // What a dump (pg_dump's COPY) and a query naming the other tenant get as the application role: bound to B,
        // B's rows only; bound to A, A's only; bound to nobody, nothing.
        await using var app = _rls.AppRaw();
        var events = $"\"{_rls.Schema}\".events";
        Assert.Equal(written[B].Order(), (await DumpAsync(app, B.Value, $"COPY {events} (event_id) TO STDOUT")).Select(Guid.Parse).Order());
        Assert.Equal(written[B].Order(), (await DumpAsync(app, B.Value, $"COPY (SELECT event_id FROM {events} WHERE tenant_id = 'acme' OR true) TO STDOUT")).Select(Guid.Parse).Order());
        Assert.Empty(await DumpAsync(app, B.Value, $"COPY (SELECT event_id FROM {events} WHERE tenant_id = 'acme') TO STDOUT"));
        Assert.Equal(written[A].Order(), (await DumpAsync(app, A.Value, $"COPY {events} (event_id) TO STDOUT")).Select(Guid.Parse).Order());
        Assert.Empty(await DumpAsync(app, null, $"COPY {events} (event_id) TO STDOUT"));
    }

    [Fact]
    public async Task Cross_tenant_analytics_is_refused_clearly_for_shared_tables()
    {
        await using var factory = await _rls.OpenAsync();
        await factory.CreateTenantAsync(A, Ct);
        Assert.IsNotAssignableFrom<ICrossTenantAnalyticsSource>(factory);
        var optIn = await Assert.ThrowsAsync<ArgumentException>(async () => await factory.SetConfigurationAsync(A, new TenantConfiguration(AllowCrossTenantAnalytics: true), Ct));
        Assert.Contains("tenancy=schema", optIn.Message, StringComparison.Ordinal);
        Assert.False((await factory.GetConfigurationAsync(A, Ct)).AllowCrossTenantAnalytics);
    }

    // Lines a COPY ... TO STDOUT writes in a transaction whose tenant is set to tenant (none when null).
    private static async Task<List<string>> DumpAsync(NpgsqlDataSource ds, string? tenant, string copy)
    {
        await using var conn = await ds.OpenConnectionAsync(Ct);
        await using var tx = await conn.BeginTransactionAsync(Ct);
        if (tenant is not null)
        {
            await using var set = new NpgsqlCommand("SELECT set_config('eventuali.tenant', $1, true)", conn, tx);
            set.Parameters.Add(new NpgsqlParameter<string> { TypedValue = tenant });
            await set.ExecuteNonQueryAsync(Ct);
        }

        var lines = new List<string>();
        using (var reader = await conn.BeginTextExportAsync(copy, Ct))
        {
            while (await reader.ReadLineAsync(Ct) is { } line)
            {
                lines.Add(line);
            }
        }

        await tx.RollbackAsync(Ct);
        return lines;
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
