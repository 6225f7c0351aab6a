using System.Net;
using Eventuali.Tenancy;
using Microsoft.Extensions.DependencyInjection;

namespace Eventuali.Server.Tests;

/// <summary>
/// Tenancy on (a registered ITenantStoreFactory over SQLite files): a key or token with a tenant reaches only that
/// tenant's store, a request naming another tenant is refused 403 and audited, and an admin without a tenant may
/// name one. Tokens come from the local OIDC provider (see <see cref="OidcProvider"/>).
/// </summary>
public sealed class TenancyTests : IAsyncLifetime
{
    private const string Header = "X-Eventuali-Tenant";
    private DirectoryInfo _directory = null!;
    private ITenantStoreFactory _tenants = null!;
    private ServerHost _host = null!;

    public async ValueTask InitializeAsync()
    {
        _directory = Directory.CreateTempSubdirectory("eventuali-tenancy-");
        _tenants = await EventStore.OpenTenantsAsync("sqlite://" + _directory.FullName + "/?tenancy=file");
        await _tenants.CreateTenantAsync(TenantId.Parse("t1"));
        await _tenants.CreateTenantAsync(TenantId.Parse("t2"));
        _host = await OidcProvider.StartServerAsync(s => s.AddSingleton(_tenants));
    }

    public async ValueTask DisposeAsync()
    {
        await _host.DisposeAsync();
        await _tenants.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        _directory.Delete(recursive: true);
    }

    private async Task<HttpClient> KeyAsync(ApiRole role, string? tenant)
        => _host.Client((await _host.Keys.CreateAsync(role, tenant: tenant)).Key);

    private async Task<long?> VersionAsync(string tenant, string stream)
    {
        await using var store = await _tenants.GetStoreAsync(TenantId.Parse(tenant));
        return await store.GetStreamVersionAsync(stream);
    }

    private static HttpRequestMessage Naming(HttpMethod method, string path, string tenant, string? json = null)
    {
        var request = Http.Request(method, path, json);
        request.Headers.Add(Header, tenant);
        return request;
    }

    [Fact]
    public async Task A_tenant_key_reaches_only_its_tenant_and_naming_another_is_refused()
    {
        var t1 = await KeyAsync(ApiRole.Write, "t1");
        var t2 = await KeyAsync(ApiRole.Write, "t2");
        Assert.Equal(HttpStatusCode.OK, (await t1.PostAsync("/streams/orders-1", Http.Json(Http.Events("placed", "paid")))).StatusCode);
        Assert.Equal(2, await VersionAsync("t1", "orders-1"));
        Assert.Null(await VersionAsync("t2", "orders-1"));
        Assert.Null(await _host.Store.GetStreamVersionAsync("orders-1"));

        // The same stream id in t2 is another stream; t2's global log, categories and diagram hold nothing of t1.
        await Http.ProblemAsync(await t2.GetAsync("/streams/orders-1"), 404, "stream-not-found");
        Assert.Empty(Http.Types(await Http.JsonAsync(await t2.GetAsync("/all"))));
        Assert.Equal(["paid", "placed"], Http.Types(await Http.JsonAsync(await t1.GetAsync("/categories/orders-"))).Order().ToArray());
        Assert.Equal(0, (await Http.JsonAsync(await t2.GetAsync("/diagram"))).GetProperty("eventsRead").GetInt64());

        // Naming another tenant is refused before anything runs; naming its own is fine.
        await Http.ProblemAsync(await t2.SendAsync(Naming(HttpMethod.Get, "/streams/orders-1", "t1")), 403, "forbidden");
        await Http.ProblemAsync(await t1.SendAsync(Naming(HttpMethod.Post, "/streams/orders-2", "t2", Http.Events("x"))), 403, "forbidden");
        Assert.Null(await VersionAsync("t2", "orders-2"));
        Assert.Equal(HttpStatusCode.OK, (await t1.SendAsync(Naming(HttpMethod.Get, "/streams/orders-1", "T1"))).StatusCode);
        await Http.ProblemAsync(await t1.SendAsync(Naming(HttpMethod.Get, "/all", "not a tenant!")), 400, "invalid-parameter");

        // A key whose tenant is not registered reaches nothing.
        await Http.ProblemAsync(await (await KeyAsync(ApiRole.Read, "t9")).GetAsync("/all"), 404, "not-found");
    }

    [Fact]
    public async Task An_admin_without_a_tenant_may_name_one_and_others_may_not()
    {
        var t2 = await KeyAsync(ApiRole.Write, "t2");
        Assert.Equal(HttpStatusCode.OK, (await t2.PostAsync("/streams/acct-1", Http.Json(Http.Events("opened")))).StatusCode);
        var admin = await KeyAsync(ApiRole.Admin, null);
        Assert.Equal(["opened"], Http.Types(await Http.JsonAsync(await admin.SendAsync(Naming(HttpMethod.Get, "/streams/acct-1", "t2")))));
        await Http.ProblemAsync(await admin.GetAsync("/streams/acct-1"), 404, "stream-not-found"); // the server's own store

        var reader = await KeyAsync(ApiRole.Read, null);
        await Http.ProblemAsync(await reader.SendAsync(Naming(HttpMethod.Get, "/streams/acct-1", "t2")), 403, "forbidden");
        await Http.ProblemAsync(await admin.SendAsync(Naming(HttpMethod.Get, "/all", "t7")), 404, "not-found");
    }

    [Fact]
    public async Task A_token_with_a_tenant_claim_reaches_only_that_tenant()
    {
        var t2 = await KeyAsync(ApiRole.Write, "t2");
        Assert.Equal(HttpStatusCode.OK, (await t2.PostAsync("/streams/orders-7", Http.Json(Http.Events("secret")))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await (await KeyAsync(ApiRole.Write, "t1")).PostAsync("/streams/orders-7", Http.Json(Http.Events("mine")))).StatusCode);

        var client = _host.Client();
        client.DefaultRequestHeaders.Authorization = Http.Bearer(await OidcProvider.TokenAsync("eventuali-reader-t1"));
        var me = await Http.JsonAsync(await client.GetAsync("/me"));
        Assert.Equal("t1", me.GetProperty("tenant").GetString());
        Assert.Equal(["mine"], Http.Types(await Http.JsonAsync(await client.GetAsync("/streams/orders-7"))));
        await Http.ProblemAsync(await client.SendAsync(Naming(HttpMethod.Get, "/streams/orders-7", "t2")), 403, "forbidden");
    }
}

/// <summary>With tenancy off, a request naming a tenant is refused rather than served from the one store.</summary>
public sealed class NoTenancyTests
{
    [Fact]
    public async Task Naming_a_tenant_without_tenancy_is_a_bad_request()
    {
        await using var host = await ServerHost.StartAsync();
        var request = Http.Request(HttpMethod.Post, "/streams/orders-1", Http.Events("a"));
        request.Headers.Add("X-Eventuali-Tenant", "t1");
        await Http.ProblemAsync(await (await host.ClientAsync(ApiRole.Write)).SendAsync(request), 400, "invalid-parameter");
        Assert.Null(await host.Store.GetStreamVersionAsync("orders-1"));
    }
}
