using System.Text.Json;

namespace Eventuali.Cli.Tests;

/// <summary>eventuali tenants analytics: opted-in tenants only, a grant (--purpose) required, a refused tenant named.</summary>
public sealed class TenantAnalyticsCommandTests
{
    private const string Url = "sqlite://tenants/?tenancy=file";

    private static Task<CliProcess.Result> Run(TempDirectory dir, params string[] args) => CliProcess.RunAsync(dir.Path, args);

    [Fact]
    public async Task Analytics_reports_opted_in_tenants_per_event_type_and_refuses_the_others()
    {
        using var dir = new TempDirectory();
        foreach (var tenant in new[] { "acme", "globex" })
        {
            Assert.Equal(0, (await Run(dir, "tenants", "create", tenant, "-d", Url)).ExitCode);
            foreach (var type in new[] { "placed", "placed", "shipped,late" })
            {
                var appended = await Run(dir, "append", "-s", "order-1", "-t", type, "--data", "{}", "-d", Url, "--tenant", tenant);
                Assert.True(appended.ExitCode == 0, appended.ToString());
            }
        }

        var config = await Run(dir, "tenants", "config", "acme", "-d", Url, "--analytics", "allow", "--tier", "pro");
        Assert.True(config.ExitCode == 0, config.ToString());
        Assert.EndsWith("analytics allow, tier pro.", Assert.Single(config.OutLines), StringComparison.Ordinal);

        var csv = await Run(dir, "tenants", "analytics", "-d", Url, "--purpose", "monthly report");
        Assert.True(csv.ExitCode == 0, csv.ToString());
        Assert.Equal(["tenant,tier,streams,events,bytes,event_type,type_events", "acme,pro,1,3,6,placed,2", "acme,pro,1,3,6,\"shipped,late\",1"], csv.OutLines);

        var json = await Run(dir, "tenants", "analytics", "-d", Url, "--purpose", "monthly report", "--format", "json", "--tenant", "acme");
        Assert.True(json.ExitCode == 0, json.ToString());
        var acme = JsonDocument.Parse(Assert.Single(json.OutLines)).RootElement;
        Assert.Equal(("acme", "pro", 3L, 2L), (acme.GetProperty("tenant").GetString(), acme.GetProperty("tier").GetString(), acme.GetProperty("events").GetInt64(), acme.GetProperty("events_by_type").GetProperty("placed").GetInt64()));

        var refused = await Run(dir, "tenants", "analytics", "-d", Url, "--purpose", "monthly report", "--tenant", "globex");
        Assert.Equal(1, refused.ExitCode);
        Assert.Contains("'globex' has not opted in", Assert.Single(refused.ErrorLines), StringComparison.Ordinal);
        Assert.Empty(refused.OutLines);

        var noGrant = await Run(dir, "tenants", "analytics", "-d", Url);
        Assert.Equal(2, noGrant.ExitCode);
        Assert.Contains("--purpose", noGrant.Error, StringComparison.Ordinal);
    }
}
