using System.Net;
using Eventuali.Sqlite;
using Eventuali.Tenancy;
using Microsoft.Extensions.DependencyInjection;

namespace Eventuali.Server.Tests;

/// <summary>Tenants and usage over HTTP: off (501) without a tenant store factory; with one, per-day usage for admins.</summary>
public sealed class TenantApiTests
{
    [Fact]
    public async Task Without_tenancy_the_routes_answer_not_supported_to_admins_and_forbidden_to_others()
    {
        await using var host = await ServerHost.StartAsync();
        var admin = await host.ClientAsync(ApiRole.Admin);
        var read = await host.ClientAsync(ApiRole.Read);
        var off = await Http.ProblemAsync(await admin.GetAsync("/tenants"), 501, "not-supported");
        Assert.Contains("Tenancy is off", off.GetProperty("detail").GetString(), StringComparison.Ordinal);
        await Http.ProblemAsync(await admin.GetAsync("/tenants/acme/usage"), 501, "not-supported");
        await Http.ProblemAsync(await read.GetAsync("/tenants"), 403, "forbidden");
        await Http.ProblemAsync(await read.GetAsync("/tenants/acme/usage"), 403, "forbidden");
    }

    [Fact]
    public async Task Admins_list_tenants_and_read_usage_by_day()
    {
        var directory = Directory.CreateTempSubdirectory("eventuali-tenants-");
        var factory = await SqliteTenantStoreFactory.OpenAsync(directory.FullName + "/?tenancy=file&durability=relaxed", EventStoreOptions.Default);
        try
        {
            await factory.CreateTenantAsync(TenantId.Parse("acme"));
            await factory.CreateTenantAsync(TenantId.Parse("globex"));
            await using (var store = await factory.GetStoreAsync(TenantId.Parse("acme")))
            {
                await store.AppendAsync("order-1", ExpectedVersion.Any, [EventData.Create("placed", "{}"u8.ToArray()), EventData.Create("paid", "{}"u8.ToArray())]);
                await store.AppendAsync("order-2", ExpectedVersion.Any, [EventData.Create("placed", "{}"u8.ToArray())]);
            }

            await using var host = await ServerHost.StartAsync(services: s => s.AddSingleton<ITenantStoreFactory>(factory));
            var admin = await host.ClientAsync(ApiRole.Admin);
            var write = await host.ClientAsync(ApiRole.Write);
            var tenants = await Http.JsonAsync(await admin.GetAsync("/tenants"));
            Assert.Equal(["acme", "globex"], tenants.EnumerateArray().Select(t => t.GetProperty("tenant").GetString()!).ToArray());
            Assert.False(tenants[0].GetProperty("suspended").GetBoolean());

            var today = DateOnly.FromDateTime(DateTime.UtcNow);
            var usage = await Http.JsonAsync(await admin.GetAsync("/tenants/acme/usage"));
            var days = usage.GetProperty("days").EnumerateArray().ToArray();
            Assert.Equal(30, days.Length);
            var last = days[^1];
            Assert.Equal(today.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture), last.GetProperty("day").GetString());
            Assert.Equal(3, days.Sum(d => d.GetProperty("events").GetInt64()));
            Assert.Equal(2, days.Sum(d => d.GetProperty("streams").GetInt64()));
            Assert.True(usage.GetProperty("storageBytes").GetInt64() > 0);
            var one = await Http.JsonAsync(await admin.GetAsync($"/tenants/globex/usage?from={today:yyyy-MM-dd}&to={today:yyyy-MM-dd}"));
            Assert.Equal(0, Assert.Single(one.GetProperty("days").EnumerateArray()).GetProperty("events").GetInt64());

            await Http.ProblemAsync(await write.GetAsync("/tenants"), 403, "forbidden");
            await Http.ProblemAsync(await write.GetAsync("/tenants/acme/usage"), 403, "forbidden");
            await Http.ProblemAsync(await admin.GetAsync("/tenants/initech/usage"), 404, "not-found");
            await Http.ProblemAsync(await admin.GetAsync("/tenants/bad%20tenant!/usage"), 400, "invalid-parameter");
            await Http.ProblemAsync(await admin.GetAsync("/tenants/acme/usage?from=yesterday"), 400, "invalid-parameter");
            await Http.ProblemAsync(await admin.GetAsync("/tenants/acme/usage?from=2026-03-02&to=2026-03-01"), 400, "invalid-parameter");
            await Http.ProblemAsync(await admin.GetAsync("/tenants/acme/usage?from=2020-01-01&to=2026-01-01"), 400, "invalid-parameter");

            // A key bound to a tenant sees only that tenant.
            var bound = host.Client((await host.Keys.CreateAsync(ApiRole.Admin, tenant: "globex")).Key);
            var visible = await Http.JsonAsync(await bound.GetAsync("/tenants"));
            Assert.Equal("globex", Assert.Single(visible.EnumerateArray()).GetProperty("tenant").GetString());
            await Http.ProblemAsync(await bound.GetAsync("/tenants/acme/usage"), 403, "forbidden");
            Assert.Equal(HttpStatusCode.OK, (await bound.GetAsync("/tenants/globex/usage")).StatusCode);
        }
        finally
        {
            await factory.DisposeAsync();
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            directory.Delete(recursive: true);
        }
    }
}
