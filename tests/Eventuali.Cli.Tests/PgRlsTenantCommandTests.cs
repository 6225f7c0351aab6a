using Npgsql;

namespace Eventuali.Cli.Tests;

/// <summary>
/// The tenants commands and --tenant on postgresql://APP@…?tenancy=rls with --owner-url: fresh owner and application
/// roles (made by the server's admin role, eventuali_admin from scripts/postgres.sh, or EVENTUALI_TEST_POSTGRES_ADMIN).
/// </summary>
public sealed class PgRlsTenantCommandTests : IAsyncLifetime
{
    private readonly string _suffix = Guid.NewGuid().ToString("N")[..10];

    private string Schema => "cr" + _suffix;

    private string Owner => "ev_own_" + _suffix;

    private string App => "ev_app_" + _suffix;

    private string Password => "pw" + _suffix;

    public async ValueTask InitializeAsync()
    {
        await using var admin = Admin();
        await ExecAsync(admin, $"CREATE ROLE {Owner} LOGIN NOSUPERUSER NOBYPASSRLS PASSWORD '{Password}'");
        await ExecAsync(admin, $"CREATE ROLE {App} LOGIN NOSUPERUSER NOBYPASSRLS PASSWORD '{Password}'");
        await ExecAsync(admin, $"GRANT CREATE ON DATABASE \"{new Uri(PgScratch.ServerUrl).AbsolutePath.TrimStart('/')}\" TO {Owner}");
    }

    public async ValueTask DisposeAsync()
    {
        await using var admin = Admin();
        await ExecAsync(admin, $"DROP SCHEMA IF EXISTS \"{Schema}\" CASCADE");
        foreach (var role in new[] { App, Owner })
        {
            await ExecAsync(admin, $"DROP OWNED BY {role} CASCADE");
            await ExecAsync(admin, $"DROP ROLE IF EXISTS {role}");
        }
    }

    [Fact]
    public async Task Tenants_are_provisioned_with_the_owner_and_written_as_the_application_role_each_seeing_its_own()
    {
        using var dir = new TempDirectory();
        var (app, owner) = (As(App), As(Owner));
        var refused = await Run(dir, "tenants", "create", "acme", "-d", app);
        Assert.NotEqual(0, refused.ExitCode);
        Assert.Contains("--owner-url", refused.Error, StringComparison.Ordinal);
        Assert.DoesNotContain(Password, refused.Error, StringComparison.Ordinal);

        foreach (var tenant in new[] { "acme", "globex" })
        {
            var created = await Run(dir, "tenants", "create", tenant, "-d", app, "--owner-url", owner);
            Assert.True(created.ExitCode == 0, created.ToString());
        }

        for (var i = 0; i < 3; i++)
        {
            var append = await Run(dir, "append", "-s", "order-1", "-t", "placed", "--data", "{}", "-d", app, "--tenant", "acme");
            Assert.True(append.ExitCode == 0, append.ToString());
        }

        Assert.Equal(0, (await Run(dir, "append", "-s", "order-1", "-t", "other", "--data", "{}", "-d", app, "--tenant", "globex")).ExitCode);
        // A fresh process reads the log's readable prefix: a transaction another test keeps open on the same server
        // (a schema migration, under load for seconds) holds the horizon back, so read until the append shows.
        var globex = await ReadUntilAsync(dir, app, "globex", "other");
        Assert.True(globex.ExitCode == 0, globex.ToString());
        Assert.Contains("other", globex.Out, StringComparison.Ordinal);
        Assert.DoesNotContain("placed", globex.Out, StringComparison.Ordinal);

        // The export of each tenant holds its own rows only, under the same stream id (both are below the horizon now:
        // globex's append, the last, shows).
        var exportAcme = await Run(dir, "tenants", "export", "acme", "-d", app);
        Assert.True(exportAcme.ExitCode == 0, exportAcme.ToString());
        Assert.Equal(3, exportAcme.OutLines.Length);
        Assert.All(exportAcme.OutLines, l => Assert.Contains("order-1", l, StringComparison.Ordinal));
        Assert.DoesNotContain("other", exportAcme.Out, StringComparison.Ordinal);
        var exportGlobex = await Run(dir, "tenants", "export", "globex", "-d", app);
        Assert.True(exportGlobex.ExitCode == 0, exportGlobex.ToString());
        Assert.Contains("order-1", Assert.Single(exportGlobex.OutLines), StringComparison.Ordinal);
        Assert.Contains("other", exportGlobex.Out, StringComparison.Ordinal);
        Assert.DoesNotContain("placed", exportGlobex.Out, StringComparison.Ordinal);

        var list = await Run(dir, "tenants", "list", "-d", app, "--owner-url", owner);
        Assert.True(list.ExitCode == 0, list.ToString());
        Assert.Contains("acme", list.Out, StringComparison.Ordinal);
        Assert.Contains("globex", list.Out, StringComparison.Ordinal);

        var csv = await Run(dir, "tenants", "usage", "-d", app, "--owner-url", owner, "--format", "csv");
        Assert.True(csv.ExitCode == 0, csv.ToString());
        Assert.StartsWith("acme,,,3,", csv.OutLines[1], StringComparison.Ordinal);
        Assert.StartsWith("globex,,,1,", csv.OutLines[2], StringComparison.Ordinal);
    }

    private string As(string role)
    {
        var url = PgScratch.ServerUrl;
        var scheme = url.IndexOf("://", StringComparison.Ordinal) + 3;
        var rest = url[(url.IndexOf('@', StringComparison.Ordinal) + 1)..];
        rest = rest.Contains('?', StringComparison.Ordinal) ? rest[..rest.IndexOf('?', StringComparison.Ordinal)] : rest;
        return $"{url[..scheme]}{role}:{Password}@{rest}?schema={Schema}&tenancy=rls";
    }

    private static NpgsqlDataSource Admin()
    {
        var url = Environment.GetEnvironmentVariable("EVENTUALI_TEST_POSTGRES_ADMIN") is { Length: > 0 } given ? given : null;
        var uri = new Uri(url ?? PgScratch.ServerUrl);
        var user = uri.UserInfo.Split(':');
        return NpgsqlDataSource.Create(new NpgsqlConnectionStringBuilder
        {
            Host = uri.Host,
            Port = uri.Port,
            Username = url is null ? "eventuali_admin" : Uri.UnescapeDataString(user[0]),
            Password = Uri.UnescapeDataString(user.ElementAtOrDefault(1) ?? string.Empty),
            Database = uri.AbsolutePath.TrimStart('/'),
        });
    }

    private static async Task ExecAsync(NpgsqlDataSource source, string sql)
    {
        await using var command = source.CreateCommand(sql);
        await command.ExecuteNonQueryAsync();
    }

    private static Task<CliProcess.Result> Run(TempDirectory dir, params string[] args) => CliProcess.RunAsync(dir.Path, args);

    private static async Task<CliProcess.Result> ReadUntilAsync(TempDirectory dir, string url, string tenant, string expected)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(90);
        while (true)
        {
            var read = await Run(dir, "read", "--all", "-d", url, "--tenant", tenant);
            if (read.ExitCode != 0 || read.Out.Contains(expected, StringComparison.Ordinal) || DateTime.UtcNow > deadline)
            {
                return read;
            }
        }
    }
}
