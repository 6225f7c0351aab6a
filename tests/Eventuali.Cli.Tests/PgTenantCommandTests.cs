using Eventuali.Tenancy;
using Npgsql;

namespace Eventuali.Cli.Tests;

/// <summary>The tenants commands and --tenant on postgresql://…?tenancy=schema: the usage report equals the stored row counts.</summary>
public sealed class PgTenantCommandTests : IAsyncLifetime
{
    // 12 characters: the longest base schema tenancy=schema takes.
    private readonly string _base = "ct" + Guid.NewGuid().ToString("N")[..10];

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private string Url => PgScratch.ServerUrl + (PgScratch.ServerUrl.Contains('?', StringComparison.Ordinal) ? "&" : "?") + "schema=" + _base + "&tenancy=schema";

    public ValueTask InitializeAsync() => ValueTask.CompletedTask;

    public async ValueTask DisposeAsync()
    {
        await using var source = DataSource();
        var schemas = new List<string>();
        await using (var list = source.CreateCommand("SELECT nspname FROM pg_namespace WHERE nspname = $1 OR starts_with(nspname, $1 || '_t_')"))
        {
            list.Parameters.Add(new NpgsqlParameter<string> { TypedValue = _base });
            await using var reader = await list.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                schemas.Add(reader.GetString(0));
            }
        }

        foreach (var schema in schemas)
        {
            await using var drop = source.CreateCommand($"DROP SCHEMA IF EXISTS \"{schema}\" CASCADE");
            await drop.ExecuteNonQueryAsync();
        }
    }

    [Fact]
    public async Task Tenants_are_provisioned_written_with_tenant_and_the_usage_report_equals_the_row_counts()
    {
        using var dir = new TempDirectory();
        Assert.Equal(0, (await Run(dir, "tenants", "create", "acme", "-d", Url)).ExitCode);
        var created = await Run(dir, "tenants", "create", "globex", "-d", Url, "--max-events-per-day", "1");
        Assert.True(created.ExitCode == 0, created.ToString());

        for (var i = 0; i < 3; i++)
        {
            var append = await Run(dir, "append", "-s", $"order-{i % 2}", "-t", "placed", "--data", "{}", "-d", Url, "--tenant", "acme");
            Assert.True(append.ExitCode == 0, append.ToString());
        }

        Assert.Equal(0, (await Run(dir, "append", "-s", "order-0", "-t", "other", "--data", "{}", "-d", Url, "--tenant", "GLOBEX")).ExitCode);
        var acme = await Run(dir, "read", "--all", "-d", Url, "--tenant", "acme");
        Assert.True(acme.ExitCode == 0, acme.ToString());
        Assert.DoesNotContain("other", acme.Out, StringComparison.Ordinal);

        // Written in-process too, with concurrent appends so group-committed batches are metered as well.
        await using (var factory = await EventStore.OpenTenantsAsync(Url, cancellationToken: Ct))
        {
            await using var store = await factory.GetStoreAsync(TenantId.Parse("acme"), Ct);
            await Task.WhenAll(Enumerable.Range(0, 24).Select(i => Task.Run(async () =>
                await store.AppendAsync($"batch-{i % 5}", ExpectedVersion.Any, [new EventData(EventData.NewEventId(), "placed", "{\"i\": 1}"u8.ToArray())], Ct), Ct)));
        }

        var csv = await Run(dir, "tenants", "usage", "-d", Url, "--format", "csv");
        Assert.True(csv.ExitCode == 0, csv.ToString());
        Assert.Equal("tenant,from,to,events,bytes,streams,reads,storage_bytes", csv.OutLines[0]);
        Assert.Equal(3, csv.OutLines.Length);
        foreach (var line in csv.OutLines.Skip(1))
        {
            var cells = line.Split(',');
            Assert.Equal(await CountAsync(_base + "_t_" + cells[0]), (long.Parse(cells[3]), long.Parse(cells[4]), long.Parse(cells[5])));
            Assert.True(long.Parse(cells[7]) > 0, line);
        }

        Assert.StartsWith("acme,,,27,", csv.OutLines[1], StringComparison.Ordinal);
        var over = await Run(dir, "append", "-s", "order-9", "-t", "placed", "--data", "{}", "-d", Url, "--tenant", "globex");
        Assert.NotEqual(0, over.ExitCode);
        Assert.Contains("events-per-day", over.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Analytics_opt_in_and_tier_are_stored_and_the_reader_reads_as_its_own_role()
    {
        using var dir = new TempDirectory();
        var withRole = Url + "&analytics_role=eventuali_analytics";
        foreach (var tenant in new[] { "acme", "globex" })
        {
            Assert.Equal(0, (await Run(dir, "tenants", "create", tenant, "-d", Url)).ExitCode);
            var append = await Run(dir, "append", "-s", "order-1", "-t", "placed", "--data", "{}", "-d", Url, "--tenant", tenant);
            Assert.True(append.ExitCode == 0, append.ToString());
        }

        var noRole = await Run(dir, "tenants", "config", "acme", "-d", Url, "--analytics", "allow");
        Assert.NotEqual(0, noRole.ExitCode);
        Assert.Contains("analytics_role", noRole.Error, StringComparison.Ordinal);

        var config = await Run(dir, "tenants", "config", "acme", "-d", withRole, "--analytics", "allow", "--tier", "pro");
        Assert.True(config.ExitCode == 0, config.ToString());
        Assert.EndsWith("analytics allow, tier pro.", Assert.Single(config.OutLines), StringComparison.Ordinal);
        Assert.EndsWith("analytics allow, tier pro.", Assert.Single((await Run(dir, "tenants", "config", "acme", "-d", Url)).OutLines), StringComparison.Ordinal);

        var reader = new UriBuilder(PgScratch.ServerUrl) { UserName = "eventuali_analytics", Password = "eventuali_analytics" }.Uri.ToString();
        var noReader = await Run(dir, "tenants", "analytics", "-d", Url, "--purpose", "billing");
        Assert.NotEqual(0, noReader.ExitCode);
        Assert.Contains("--reader-url", noReader.Error, StringComparison.Ordinal);

        var csv = await Run(dir, "tenants", "analytics", "-d", Url, "--purpose", "billing", "--reader-url", reader);
        Assert.True(csv.ExitCode == 0, csv.ToString());
        Assert.Equal(["tenant,tier,streams,events,bytes,event_type,type_events", "acme,pro,1,1,2,placed,1"], csv.OutLines);

        var refused = await Run(dir, "tenants", "analytics", "-d", Url, "--purpose", "billing", "--reader-url", reader, "--tenant", "globex");
        Assert.Equal(1, refused.ExitCode);
        Assert.Contains("'globex' has not opted in", refused.Error, StringComparison.Ordinal);
    }

    private static Task<CliProcess.Result> Run(TempDirectory dir, params string[] args) => CliProcess.RunAsync(dir.Path, args);

    private static NpgsqlDataSource DataSource()
    {
        var uri = new Uri(PgScratch.ServerUrl);
        var user = uri.UserInfo.Split(':');
        return NpgsqlDataSource.Create(new NpgsqlConnectionStringBuilder
        {
            Host = uri.Host,
            Port = uri.Port,
            Username = Uri.UnescapeDataString(user[0]),
            Password = Uri.UnescapeDataString(user.ElementAtOrDefault(1) ?? string.Empty),
            Database = uri.AbsolutePath.TrimStart('/'),
        });
    }

    private static async Task<(long Events, long Bytes, long Streams)> CountAsync(string schema)
    {
        await using var source = DataSource();
        await using var command = source.CreateCommand(
            $"SELECT (SELECT count(*) FROM \"{schema}\".events), " +
            $"(SELECT coalesce(sum(octet_length(coalesce(data_bytes, convert_to(data_json::text, 'UTF8')))), 0)::bigint FROM \"{schema}\".events), " +
            $"(SELECT count(*) FROM \"{schema}\".streams)");
        await using var reader = await command.ExecuteReaderAsync(Ct);
        await reader.ReadAsync(Ct);
        return (reader.GetInt64(0), reader.GetInt64(1), reader.GetInt64(2));
    }
}
