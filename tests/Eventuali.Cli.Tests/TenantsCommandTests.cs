using System.Text.Json;

namespace Eventuali.Cli.Tests;

/// <summary>eventuali tenants ... and --tenant on data commands, against a file-per-tenant directory.</summary>
public sealed class TenantsCommandTests
{
    private const string Url = "sqlite://tenants/?tenancy=file";

    private static Task<CliProcess.Result> Run(TempDirectory dir, params string[] args) => CliProcess.RunAsync(dir.Path, args);

    [Fact]
    public async Task Provisioning_and_tenant_bound_data_commands_keep_tenants_apart()
    {
        using var dir = new TempDirectory();
        Assert.Equal(0, (await Run(dir, "tenants", "create", "Acme", "-d", Url)).ExitCode);
        Assert.Equal(0, (await Run(dir, "tenants", "create", "acme", "-d", Url)).ExitCode);
        Assert.Equal(0, (await Run(dir, "tenants", "create", "globex", "-d", Url)).ExitCode);

        var append = await Run(dir, "append", "-s", "order-1", "-t", "placed", "--data", "{\"n\":1}", "-d", Url, "--tenant", "acme");
        Assert.True(append.ExitCode == 0, append.ToString());
        var other = await Run(dir, "append", "-s", "order-1", "-t", "other", "--data", "{}", "-d", Url, "--tenant", "GLOBEX");
        Assert.True(other.ExitCode == 0, other.ToString());

        var acme = await Run(dir, "read", "--all", "-d", Url, "--tenant", "acme");
        Assert.Equal("placed", JsonDocument.Parse(Assert.Single(acme.OutLines)).RootElement.GetProperty("eventType").GetString());
        var globex = await Run(dir, "read", "-s", "order-1", "-d", Url, "--tenant", "globex");
        Assert.Equal("other", JsonDocument.Parse(Assert.Single(globex.OutLines)).RootElement.GetProperty("eventType").GetString());

        var export = await Run(dir, "tenants", "export", "acme", "-d", Url, "-o", "acme.jsonl");
        Assert.True(export.ExitCode == 0, export.ToString());
        Assert.Single(File.ReadAllLines(dir.File("acme.jsonl")));

        var list = await Run(dir, "tenants", "list", "-d", Url, "--json");
        Assert.Equal(["acme", "globex"], list.OutLines.Select(l => JsonDocument.Parse(l).RootElement.GetProperty("tenant").GetString()));
    }

    [Fact]
    public async Task Suspended_unknown_and_missing_tenants_fail_with_one_clear_line()
    {
        using var dir = new TempDirectory();
        Assert.Equal(0, (await Run(dir, "tenants", "create", "acme", "-d", Url)).ExitCode);
        Assert.Equal(0, (await Run(dir, "tenants", "suspend", "acme", "-d", Url)).ExitCode);

        var suspended = await Run(dir, "read", "--all", "-d", Url, "--tenant", "acme");
        Assert.Equal(1, suspended.ExitCode);
        Assert.Contains("suspended", Assert.Single(suspended.ErrorLines), StringComparison.Ordinal);

        var unknown = await Run(dir, "read", "--all", "-d", Url, "--tenant", "nobody");
        Assert.Contains("does not exist", Assert.Single(unknown.ErrorLines), StringComparison.Ordinal);

        var missing = await Run(dir, "read", "--all", "-d", Url);
        Assert.Contains("--tenant", Assert.Single(missing.ErrorLines), StringComparison.Ordinal);

        var malformed = await Run(dir, "tenants", "create", "a/b", "-d", Url);
        Assert.Equal(1, malformed.ExitCode);
        Assert.Contains("index 1", Assert.Single(malformed.ErrorLines), StringComparison.Ordinal);

        var single = await Run(dir, "read", "--all", "-d", "sqlite://x.db", "--tenant", "acme");
        Assert.Contains("not a multi-tenant store", Assert.Single(single.ErrorLines), StringComparison.Ordinal);
        Assert.False(File.Exists(dir.File("x.db")));
    }

    [Fact]
    public async Task Delete_takes_a_confirmation_token_and_resume_cancels_it()
    {
        using var dir = new TempDirectory();
        Assert.Equal(0, (await Run(dir, "tenants", "create", "acme", "-d", Url)).ExitCode);
        Assert.Equal(0, (await Run(dir, "append", "-s", "s", "-t", "x", "--data", "{}", "-d", Url, "--tenant", "acme")).ExitCode);

        var requested = await Run(dir, "tenants", "delete", "acme", "-d", Url);
        Assert.True(requested.ExitCode == 0, requested.ToString());
        var token = Assert.Single(requested.OutLines);
        Assert.Contains("--confirm", requested.Error, StringComparison.Ordinal);

        var wrong = await Run(dir, "tenants", "delete", "acme", "-d", Url, "--confirm", "nope");
        Assert.Equal(1, wrong.ExitCode);
        Assert.DoesNotContain(token, wrong.Error, StringComparison.Ordinal);
        Assert.True(File.Exists(dir.File("tenants/data/acme.db")));

        var purged = await Run(dir, "tenants", "delete", "acme", "-d", Url, "--confirm", token);
        Assert.True(purged.ExitCode == 0, purged.ToString());
        Assert.False(File.Exists(dir.File("tenants/data/acme.db")));
        Assert.Empty((await Run(dir, "tenants", "list", "-d", Url, "--json")).OutLines);

        Assert.Equal(0, (await Run(dir, "tenants", "create", "globex", "-d", Url)).ExitCode);
        var second = Assert.Single((await Run(dir, "tenants", "delete", "globex", "-d", Url)).OutLines);
        Assert.Equal(0, (await Run(dir, "tenants", "resume", "globex", "-d", Url)).ExitCode);
        Assert.Equal(1, (await Run(dir, "tenants", "delete", "globex", "-d", Url, "--confirm", second)).ExitCode);
        Assert.Contains("active", (await Run(dir, "tenants", "list", "-d", Url)).Out, StringComparison.Ordinal);
    }
}
