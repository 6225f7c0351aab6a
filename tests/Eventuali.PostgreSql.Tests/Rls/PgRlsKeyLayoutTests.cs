using Eventuali.PostgreSql.Tests.Tenancy;
using Eventuali.Tenancy;
using Npgsql;

namespace Eventuali.PostgreSql.Tests.Rls;

/// <summary>
/// Where the conversion puts tenant_id in the shared tables' keys: bytewise (<c>COLLATE "C"</c>) everywhere, last in
/// the keys led by a global id (a stream's number, an event id), first in every other; and a deployment converted by an
/// earlier release (tenant_id first everywhere, the database's collation) is brought to that layout by the next set-up,
/// its rows intact and still each tenant's own.
/// </summary>
public sealed class PgRlsKeyLayoutTests : IAsyncLifetime
{
    private static readonly TenantId A = TenantId.Parse("key-a"), B = TenantId.Parse("key-b");
    private PgRls _rls = null!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync() => _rls = await PgRls.CreateAsync();

    public async ValueTask DisposeAsync() => await _rls.DisposeAsync();

    [Fact]
    public async Task A_new_deployment_puts_tenant_id_last_only_after_a_global_id_and_compares_it_bytewise()
    {
        await using (var factory = await _rls.OpenAsync())
        {
            await factory.CreateTenantAsync(A, Ct);
        }

        await AssertNewLayoutAsync();
    }

    [Fact]
    public async Task A_deployment_with_the_earlier_layout_is_rekeyed_by_the_next_set_up_and_keeps_its_rows()
    {
        await using (var factory = await _rls.OpenAsync())
        {
            await factory.CreateTenantAsync(A, Ct);
            await factory.CreateTenantAsync(B, Ct);
            await using var a = await factory.GetStoreAsync(A, Ct);
            await using var b = await factory.GetStoreAsync(B, Ct);
            await a.AppendAsync("order-1", ExpectedVersion.NoStream, [PgTenants.Event("a", 1), PgTenants.Event("a", 2)], Ct);
            await b.AppendAsync("order-1", ExpectedVersion.NoStream, [PgTenants.Event("b", 1)], Ct);
        }

        // What an earlier release made: tenant_id first in every key of events, compared by the database's collation.
        await using (var admin = await PgRls.AdminAsync())
        {
            var events = $"\"{_rls.Schema}\".events";
            await PgRls.ExecAsync(admin, $"DROP POLICY eventuali_tenant ON {events}");
            await PgRls.ExecAsync(admin, $"ALTER TABLE {events} ALTER COLUMN tenant_id TYPE text COLLATE \"default\"");
            await PgRls.ExecAsync(admin, $"ALTER TABLE {events} DROP CONSTRAINT events_stream_version_key, ADD CONSTRAINT events_stream_version_key UNIQUE (tenant_id, stream_id, version)");
            await PgRls.ExecAsync(admin, $"ALTER TABLE {events} DROP CONSTRAINT events_event_id_key, ADD CONSTRAINT events_event_id_key UNIQUE (tenant_id, event_id)");
            Assert.Contains(await KeysAsync(admin, "events"), k => k.Contains("UNIQUE (tenant_id, event_id)", StringComparison.Ordinal));
        }

        await using (var factory = await _rls.OpenAsync())
        {
            await AssertNewLayoutAsync();
            await using var a = await factory.GetStoreAsync(A, Ct);
            await using var b = await factory.GetStoreAsync(B, Ct);
            Assert.Equal(["a", "a"], await TypesAsync(a));
            Assert.Equal(["b"], await TypesAsync(b));

            // The keys still hold per tenant: the same version in both tenants, a duplicate within one refused.
            await b.AppendAsync("order-1", ExpectedVersion.Exact(1), [PgTenants.Event("b", 2)], Ct);
            await Assert.ThrowsAsync<ConcurrencyException>(async () => await a.AppendAsync("order-1", ExpectedVersion.Exact(1), [PgTenants.Event("a", 9)], Ct));
            Assert.Equal(["b", "b"], await TypesAsync(b));
        }
    }

    private async Task AssertNewLayoutAsync()
    {
        await using var admin = await PgRls.AdminAsync();
        var keys = await KeysAsync(admin, "events");
        Assert.Contains(keys, k => k.Contains("PRIMARY KEY (tenant_id, \"position\")", StringComparison.Ordinal));
        Assert.Contains(keys, k => k.Contains("UNIQUE (stream_id, version, tenant_id)", StringComparison.Ordinal));
        Assert.Contains(keys, k => k.Contains("UNIQUE (event_id, tenant_id)", StringComparison.Ordinal));
        Assert.Contains(keys, k => k.Contains("(tenant_id, event_type, \"position\")", StringComparison.Ordinal));
        Assert.Contains(await KeysAsync(admin, "streams"), k => k.Contains("UNIQUE (tenant_id, name)", StringComparison.Ordinal));

        // Every tenant_id of the schema compares bytewise.
        await using var cmd = admin.CreateCommand(
            "SELECT count(*) FILTER (WHERE a.attcollation <> 'pg_catalog.\"C\"'::regcollation), count(*) FROM pg_attribute a " +
            "JOIN pg_class c ON c.oid = a.attrelid JOIN pg_namespace n ON n.oid = c.relnamespace " +
            "WHERE n.nspname = $1 AND c.relkind = 'r' AND a.attname = 'tenant_id' AND NOT a.attisdropped");
        cmd.Parameters.Add(new NpgsqlParameter<string> { TypedValue = _rls.Schema });
        await using var reader = await cmd.ExecuteReaderAsync(Ct);
        Assert.True(await reader.ReadAsync(Ct));
        Assert.Equal(0, reader.GetInt64(0));
        Assert.True(reader.GetInt64(1) > 10);
    }

    // The table's constraints and indexes as the catalog prints them.
    private async Task<List<string>> KeysAsync(NpgsqlDataSource admin, string table)
    {
        await using var cmd = admin.CreateCommand(
            "SELECT coalesce(pg_get_constraintdef(con.oid), pg_get_indexdef(ix.indexrelid)) FROM pg_index ix " +
            "LEFT JOIN pg_constraint con ON con.conindid = ix.indexrelid AND con.conrelid = ix.indrelid " +
            "WHERE ix.indrelid = to_regclass($1)");
        cmd.Parameters.Add(new NpgsqlParameter<string> { TypedValue = $"\"{_rls.Schema}\".{table}" });
        var keys = new List<string>();
        await using var reader = await cmd.ExecuteReaderAsync(Ct);
        while (await reader.ReadAsync(Ct))
        {
            keys.Add(reader.GetString(0));
        }

        return keys;
    }

    private static async Task<List<string>> TypesAsync(IEventStore store)
    {
        var types = new List<string>();
        await foreach (var e in store.ReadStreamAsync("order-1", cancellationToken: Ct))
        {
            types.Add(e.EventType);
        }

        return types;
    }
}
