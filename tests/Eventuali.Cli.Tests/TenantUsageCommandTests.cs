using System.Text;
using System.Text.Json;
using Eventuali.Tenancy;
using Microsoft.Data.Sqlite;

namespace Eventuali.Cli.Tests;

/// <summary>eventuali tenants usage (the billing report, checked against row counts) and tenants config / create quotas.</summary>
public sealed class TenantUsageCommandTests
{
    private const string Url = "sqlite://tenants/?tenancy=file";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static Task<CliProcess.Result> Run(TempDirectory dir, params string[] args) => CliProcess.RunAsync(dir.Path, args);

    [Fact]
    public async Task The_usage_report_equals_the_stored_row_counts_in_every_format()
    {
        using var dir = new TempDirectory();
        Assert.Equal(0, (await Run(dir, "tenants", "create", "acme", "-d", Url)).ExitCode);
        Assert.Equal(0, (await Run(dir, "tenants", "create", "globex", "-d", Url)).ExitCode);
        await using (var factory = await EventStore.OpenTenantsAsync($"sqlite://{dir.File("tenants")}/?tenancy=file", cancellationToken: Ct))
        {
            foreach (var (tenant, appends) in new[] { ("acme", 40), ("globex", 9) })
            {
                await using var store = await factory.GetStoreAsync(TenantId.Parse(tenant), Ct);
                for (var i = 0; i < appends; i++)
                {
                    await store.AppendAsync($"order-{i % 6}", ExpectedVersion.Any, [.. Enumerable.Range(0, 1 + (i % 3)).Select(n => new EventData(EventData.NewEventId(), "placed", Encoding.UTF8.GetBytes($$"""{"i":{{i}},"n":{{n}}}""")))], Ct);
                }
            }
        }

        var csv = await Run(dir, "tenants", "usage", "-d", Url, "--format", "csv");
        Assert.True(csv.ExitCode == 0, csv.ToString());
        Assert.Equal("tenant,from,to,events,bytes,streams,reads,storage_bytes", csv.OutLines[0]);
        Assert.Equal(3, csv.OutLines.Length);
        foreach (var line in csv.OutLines.Skip(1))
        {
            var cells = line.Split(',');
            var rows = await CountAsync(dir.File($"tenants/data/{cells[0]}.db"));
            Assert.Equal(rows, (long.Parse(cells[3]), long.Parse(cells[4]), long.Parse(cells[5])));
            Assert.True(long.Parse(cells[7]) > 0, line);
        }

        var json = await Run(dir, "tenants", "usage", "-d", Url, "--format", "json", "--tenant", "globex", "--from", "2000-01-01");
        Assert.True(json.ExitCode == 0, json.ToString());
        var globex = JsonDocument.Parse(Assert.Single(json.OutLines)).RootElement;
        Assert.Equal(("globex", "2000-01-01", JsonValueKind.Null), (globex.GetProperty("tenant").GetString(), globex.GetProperty("from").GetString(), globex.GetProperty("to").ValueKind));
        Assert.Equal((await CountAsync(dir.File("tenants/data/globex.db"))).Events, globex.GetProperty("events").GetInt64());

        var table = await Run(dir, "tenants", "usage", "-d", Url, "--to", "2000-01-01");
        Assert.True(table.ExitCode == 0, table.ToString());
        Assert.StartsWith("tenant", table.OutLines[0], StringComparison.Ordinal);
        Assert.Equal(["acme", "2000-01-01", "0", "0", "0", "0"], table.OutLines[1].Split(' ', StringSplitOptions.RemoveEmptyEntries)[..6]);

        var badDay = await Run(dir, "tenants", "usage", "-d", Url, "--from", "03/01/2026");
        Assert.Equal(2, badDay.ExitCode);
        Assert.Contains("--from", Assert.Single(badDay.ErrorLines), StringComparison.Ordinal);
        var badFormat = await Run(dir, "tenants", "usage", "-d", Url, "--format", "xml");
        Assert.Equal(2, badFormat.ExitCode);
    }

    [Fact]
    public async Task Quotas_set_by_create_and_config_refuse_an_append_with_one_clear_line()
    {
        using var dir = new TempDirectory();
        var created = await Run(dir, "tenants", "create", "acme", "-d", Url, "--max-streams", "1");
        Assert.True(created.ExitCode == 0, created.ToString());
        Assert.Contains("max-streams 1", created.Out, StringComparison.Ordinal);
        Assert.Equal(0, (await Run(dir, "append", "-s", "a", "-t", "x", "--data", "{}", "-d", Url, "--tenant", "acme")).ExitCode);

        var refused = await Run(dir, "append", "-s", "b", "-t", "x", "--data", "{}", "-d", Url, "--tenant", "acme");
        Assert.Equal(1, refused.ExitCode);
        Assert.Contains("streams quota: limit 1, current 1", Assert.Single(refused.ErrorLines), StringComparison.Ordinal);

        var config = await Run(dir, "tenants", "config", "acme", "-d", Url, "--max-streams", "none", "--max-events-per-day", "5", "--durability", "relaxed");
        Assert.True(config.ExitCode == 0, config.ToString());
        Assert.Equal("Tenant 'acme': max-events-per-day 5, max-streams none, max-bytes none, durability relaxed, retention-max-count none, retention-max-age none, snapshot-every none, encryption default, analytics deny, tier default.", Assert.Single(config.OutLines));
        Assert.Equal(0, (await Run(dir, "append", "-s", "b", "-t", "x", "--data", "{}", "-d", Url, "--tenant", "acme")).ExitCode);
        Assert.Equal(config.Out, (await Run(dir, "tenants", "config", "acme", "-d", Url)).Out);

        var bad = await Run(dir, "tenants", "config", "acme", "-d", Url, "--max-bytes", "lots");
        Assert.Equal(2, bad.ExitCode);
        Assert.Contains("--max-bytes", Assert.Single(bad.ErrorLines), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Retention_snapshot_interval_and_encryption_are_stored_and_the_tenants_retention_is_applied()
    {
        using var dir = new TempDirectory();
        Assert.Equal(0, (await Run(dir, "tenants", "create", "acme", "-d", Url)).ExitCode);
        var config = await Run(dir, "tenants", "config", "acme", "-d", Url, "--retention-max-count", "2", "--retention-max-age", "30d", "--snapshot-every", "50", "--encryption", "off");
        Assert.True(config.ExitCode == 0, config.ToString());
        Assert.Contains("retention-max-count 2, retention-max-age 2592000s, snapshot-every 50, encryption off,", Assert.Single(config.OutLines), StringComparison.Ordinal);
        Assert.Equal(config.Out, (await Run(dir, "tenants", "config", "acme", "-d", Url)).Out);

        for (var i = 0; i < 5; i++)
        {
            Assert.Equal(0, (await Run(dir, "append", "-s", "order-1", "-t", "placed", "--data", "{}", "-d", Url, "--tenant", "acme")).ExitCode);
        }

        var applied = await Run(dir, "stream", "retention", "-d", Url, "--tenant", "acme");
        Assert.True(applied.ExitCode == 0, applied.ToString());
        Assert.StartsWith("Removed 3 event(s) from 1 stream(s)", Assert.Single(applied.OutLines), StringComparison.Ordinal);

        var bad = await Run(dir, "tenants", "config", "acme", "-d", Url, "--snapshot-every", "0");
        Assert.Equal(2, bad.ExitCode);
        Assert.Contains("--snapshot-every", bad.Error, StringComparison.Ordinal);
    }

    private static async Task<(long Events, long Bytes, long Streams)> CountAsync(string file)
    {
        await using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = file, Mode = SqliteOpenMode.ReadOnly, Pooling = false }.ToString());
        await connection.OpenAsync(Ct);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT (SELECT count(*) FROM events), (SELECT coalesce(sum(length(CAST(data AS BLOB))), 0) FROM events), (SELECT count(*) FROM streams)";
        await using var reader = await command.ExecuteReaderAsync(Ct);
        await reader.ReadAsync(Ct);
        return (reader.GetInt64(0), reader.GetInt64(1), reader.GetInt64(2));
    }
}
