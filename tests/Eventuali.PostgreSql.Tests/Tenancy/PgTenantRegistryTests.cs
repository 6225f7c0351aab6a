using Eventuali.Tenancy;

namespace Eventuali.PostgreSql.Tests.Tenancy;

/// <summary>Schema per tenant: provisioning in the base schema's registry, mirroring file-per-tenant SQLite.</summary>
public sealed class PgTenantRegistryTests : IAsyncLifetime
{
    private readonly string _base = PgTenants.NewBase();
    private readonly TenantId _a = TenantId.Parse("acme");

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public ValueTask InitializeAsync() => ValueTask.CompletedTask;

    public async ValueTask DisposeAsync() => await PgTenants.DropAsync(_base);

    [Fact]
    public async Task Create_is_idempotent_suspend_refuses_and_delete_takes_two_steps_with_an_audit_trail()
    {
        var missing = await Assert.ThrowsAsync<EventStoreConfigurationException>(async () => await PostgreSqlTenantStoreFactory.OpenAsync(await PgTenants.UrlAsync(_base), EventStoreOptions.Default, create: false, Ct));
        Assert.Contains("No such store", missing.Message, StringComparison.Ordinal);

        await using var factory = await PgTenants.OpenAsync(_base);
        var created = await factory.CreateTenantAsync(_a, Ct);
        Assert.Equal(created, await factory.CreateTenantAsync(TenantId.Parse(" ACME "), Ct));
        Assert.Equal([_a], (await factory.ListTenantsAsync(Ct)).Select(t => t.Tenant));
        await Assert.ThrowsAsync<UnknownTenantException>(async () => await factory.GetStoreAsync(TenantId.Parse("nobody"), Ct));
        await Assert.ThrowsAsync<MissingTenantContextException>(async () => await factory.GetStoreAsync(default, Ct));

        await using (var store = await factory.GetStoreAsync(_a, Ct))
        {
            await store.AppendAsync("s", ExpectedVersion.NoStream, [PgTenants.Event("e", 1)], Ct);
        }

        await factory.SetSuspendedAsync(_a, true, Ct);
        await Assert.ThrowsAsync<TenantSuspendedException>(async () => await factory.GetStoreAsync(_a, Ct));
        await factory.SetSuspendedAsync(_a, false, Ct);

        await Assert.ThrowsAsync<TenantDeletionException>(async () => await factory.PurgeTenantAsync(_a, "whatever", Ct)); // not requested
        var token = await factory.RequestDeletionAsync(_a, Ct);
        Assert.Equal(token, await factory.RequestDeletionAsync(_a, Ct));
        Assert.True((await factory.ListTenantsAsync(Ct)).Single().DeletionRequested);
        await Assert.ThrowsAsync<TenantSuspendedException>(async () => await factory.GetStoreAsync(_a, Ct));
        var wrong = await Assert.ThrowsAsync<TenantDeletionException>(async () => await factory.PurgeTenantAsync(_a, "0000000000000000", Ct));
        Assert.DoesNotContain(token, wrong.Message, StringComparison.Ordinal);
        Assert.Equal(1, (await PgTenants.CountAsync(factory.SchemaOf(_a))).Events); // nothing removed

        await factory.PurgeTenantAsync(_a, token, Ct);
        Assert.Empty(await factory.ListTenantsAsync(Ct));
        await Assert.ThrowsAsync<Npgsql.PostgresException>(async () => await PgTenants.CountAsync(factory.SchemaOf(_a))); // schema gone
        Assert.Equal(["created", "suspended", "resumed", "deletion-requested", "purged"], (await factory.ReadAuditAsync(Ct)).Select(r => r.Action));

        // Created again, the tenant starts empty.
        await factory.CreateTenantAsync(_a, Ct);
        await using var again = await factory.GetStoreAsync(_a, Ct);
        Assert.Null(await again.GetStreamVersionAsync("s", Ct));
    }

    [Fact]
    public async Task A_schema_left_by_a_crash_before_its_registry_row_is_adopted_by_create()
    {
        await using var factory = await PgTenants.OpenAsync(_base);
        await factory.CreateTenantAsync(_a, Ct);
        await using (var store = await factory.GetStoreAsync(_a, Ct))
        {
            await store.AppendAsync("s", ExpectedVersion.NoStream, [PgTenants.Event("e", 1)], Ct);
        }

        // As if the process died after migrating the schema, before the row: the schema is there, the row is not.
        await using (var raw = await PgTestServer.RawAsync())
        {
            await using var cmd = raw.CreateCommand($"DELETE FROM \"{_base}\".tenants");
            await cmd.ExecuteNonQueryAsync(Ct);
        }

        Assert.Empty(await factory.ListTenantsAsync(Ct));
        await factory.CreateTenantAsync(_a, Ct);
        Assert.Equal(1, (await PgTenants.CountAsync(factory.SchemaOf(_a))).Events);
    }
}
