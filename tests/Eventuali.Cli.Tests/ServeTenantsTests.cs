using System.Net;
using System.Text;
using System.Text.Json;

namespace Eventuali.Cli.Tests;

/// <summary><c>eventuali serve</c> over a tenant directory, with keys made for its tenants by <c>eventuali apikeys</c>.</summary>
public sealed class ServeTenantsTests
{
    [Fact]
    public async Task Serve_over_a_tenant_directory_routes_each_key_to_its_tenant()
    {
        using var dir = new TempDirectory();
        var db = "sqlite://" + dir.File("tenants") + "/?tenancy=file";
        foreach (var tenant in new[] { "acme", "globex" })
        {
            var made = await CliProcess.RunAsync(dir.Path, "tenants", "create", tenant, "--database", db);
            Assert.True(made.ExitCode == 0, made.ToString());
        }

        var keyA = await CreateKeyAsync(dir.Path, db, "--role", "write", "--tenant", "acme");
        var keyB = await CreateKeyAsync(dir.Path, db, "--role", "read", "--tenant", "globex");
        var admin = await CreateKeyAsync(dir.Path, db, "--role", "admin");
        var unknown = await CliProcess.RunAsync(dir.Path, "apikeys", "create", "--database", db, "--role", "read", "--tenant", "initech");
        Assert.Equal(1, unknown.ExitCode);
        Assert.Contains("Tenant 'initech' does not exist", unknown.Error, StringComparison.Ordinal);
        Assert.True(File.Exists(Path.Combine(dir.File("tenants"), "server.db")), "the keys live in the directory's server.db");
        var listed = await CliProcess.RunAsync(dir.Path, "apikeys", "list", "--database", db);
        Assert.True(listed.ExitCode == 0, listed.ToString());
        Assert.Equal(4, listed.OutLines.Length); // the header and three keys

        using var server = ServeCommandTests.StartServe(dir.Path, db);
        try
        {
            var address = await ServeCommandTests.ReadAddressAsync(server);
            var ct = TestContext.Current.CancellationToken;
            using var a = Client(address, keyA);
            using var b = Client(address, keyB);
            using var root = Client(address, admin);

            var append = await a.PostAsync("/streams/orders-1", new StringContent("""[{"type":"placed","data":{"n":1}}]""", Encoding.UTF8, "application/json"), ct);
            Assert.True(append.StatusCode == HttpStatusCode.OK, await append.Content.ReadAsStringAsync(ct));
            Assert.Equal(HttpStatusCode.OK, (await a.GetAsync("/streams/orders-1", ct)).StatusCode);

            // The other tenant's key sees none of it, and may not name the first tenant.
            Assert.Equal(HttpStatusCode.NotFound, (await b.GetAsync("/streams/orders-1", ct)).StatusCode);
            using (var all = JsonDocument.Parse(await b.GetStringAsync("/all", ct)))
            {
                Assert.Equal(0, all.RootElement.GetProperty("events").GetArrayLength());
            }

            using var crossing = new HttpRequestMessage(HttpMethod.Get, "/streams/orders-1") { Headers = { { "X-Eventuali-Tenant", "acme" } } };
            Assert.Equal(HttpStatusCode.Forbidden, (await b.SendAsync(crossing, ct)).StatusCode);

            // The admin without a tenant lists the tenants, must name one for events, and reads acme's when it does.
            using (var tenants = JsonDocument.Parse(await root.GetStringAsync("/tenants", ct)))
            {
                Assert.Equal<string>(["acme", "globex"], tenants.RootElement.EnumerateArray().Select(t => t.GetProperty("tenant").GetString()!).ToArray());
            }

            var untargeted = await root.GetAsync("/all", ct);
            Assert.Equal(HttpStatusCode.BadRequest, untargeted.StatusCode);
            var problem = await untargeted.Content.ReadAsStringAsync(ct);
            Assert.Contains("problems/tenant-required", problem, StringComparison.Ordinal);
            Assert.Contains("X-Eventuali-Tenant", problem, StringComparison.Ordinal);
            using var named = new HttpRequestMessage(HttpMethod.Get, "/streams/orders-1") { Headers = { { "X-Eventuali-Tenant", "acme" } } };
            var read = await root.SendAsync(named, ct);
            Assert.Equal(HttpStatusCode.OK, read.StatusCode);
            Assert.Contains("\"placed\"", await read.Content.ReadAsStringAsync(ct), StringComparison.Ordinal);
            Assert.Equal(HttpStatusCode.OK, (await root.GetAsync("/me", ct)).StatusCode);
        }
        finally
        {
            server.Kill(entireProcessTree: true);
            await server.WaitForExitAsync(TestContext.Current.CancellationToken);
        }

        // --tenant serves one tenant as a plain store (its keys in its own file): a key made there reads acme's stream.
        var single = await CreateKeyAsync(dir.Path, db + "&tenant=acme", "--role", "read");
        using var one = ServeCommandTests.StartServe(dir.Path, db, "--tenant", "acme");
        try
        {
            using var client = Client(await ServeCommandTests.ReadAddressAsync(one), single);
            Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/streams/orders-1", TestContext.Current.CancellationToken)).StatusCode);
        }
        finally
        {
            one.Kill(entireProcessTree: true);
            await one.WaitForExitAsync(TestContext.Current.CancellationToken);
        }
    }

    private static async Task<string> CreateKeyAsync(string directory, string db, params string[] options)
    {
        string[] arguments = ["apikeys", "create", "--database", db, .. options];
        var created = await CliProcess.RunAsync(directory, arguments);
        Assert.True(created.ExitCode == 0, created.ToString());
        return Assert.Single(created.OutLines);
    }

    private static HttpClient Client(string address, string key)
    {
        var http = new HttpClient { BaseAddress = new Uri(address), Timeout = TimeSpan.FromSeconds(60) };
        http.DefaultRequestHeaders.Add("X-Api-Key", key);
        return http;
    }
}
