using System.Net;

namespace Eventuali.Cli.Tests;

/// <summary>The server's GET /diagram answers exactly what <c>eventuali diagram --format json</c> prints for the same store.</summary>
public sealed class DiagramRouteTests
{
    [Fact]
    public async Task The_diagram_route_equals_the_cli_json_for_the_same_store()
    {
        using var dir = new TempDirectory();
        TransferTests.WriteSample(dir.File("sample.jsonl"));
        var db = "sqlite://" + dir.File("s.db");
        Assert.Equal(0, (await CliProcess.RunAsync(dir.Path, "import", "-d", db, "-i", "sample.jsonl")).ExitCode);
        // Drawn before the key exists: the route leaves the server's key stream out, so both see the same events.
        var whole = await CliProcess.RunAsync(dir.Path, "diagram", "-d", db, "--format", "json");
        var orders = await CliProcess.RunAsync(dir.Path, "diagram", "-d", db, "--category", "order-", "--format", "json");
        Assert.True(whole.ExitCode == 0 && orders.ExitCode == 0, whole + "\n" + orders);
        Assert.Contains("\"slowestEdges\":[{", whole.Out, StringComparison.Ordinal);

        var created = await CliProcess.RunAsync(dir.Path, "apikeys", "create", "--database", db, "--role", "read");
        Assert.True(created.ExitCode == 0, created.ToString());
        using var server = ServeCommandTests.StartServe(dir.Path, db);
        try
        {
            var address = await ServeCommandTests.ReadAddressAsync(server);
            using var http = new HttpClient { BaseAddress = new Uri(address), Timeout = TimeSpan.FromSeconds(60) };
            http.DefaultRequestHeaders.Add("X-Api-Key", Assert.Single(created.OutLines));
            var ct = TestContext.Current.CancellationToken;
            var response = await http.GetAsync("/diagram", ct);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
            Assert.Equal(whole.Out.TrimEnd('\n'), await response.Content.ReadAsStringAsync(ct));
            Assert.Equal(orders.Out.TrimEnd('\n'), await http.GetStringAsync("/diagram?category=order-", ct));
        }
        finally
        {
            server.Kill(entireProcessTree: true);
            await server.WaitForExitAsync(TestContext.Current.CancellationToken);
        }
    }
}
