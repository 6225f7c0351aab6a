using System.Text.Json;
using Microsoft.Data.Sqlite;

namespace Eventuali.Cli.Tests;

public sealed class MigrateTests
{
    [Fact]
    public async Task Status_and_dry_run_on_a_missing_store_create_nothing()
    {
        using var dir = new TempDirectory();
        var db = "sqlite://" + dir.File("store.db");
        var status = await CliProcess.RunAsync(dir.Path, "migrate", "status", "-d", db);
        Assert.True(status.ExitCode == 0, status.ToString());
        Assert.Contains("does not exist yet", status.Out, StringComparison.Ordinal);
        Assert.Contains("001 schema", status.Out, StringComparison.Ordinal);

        var json = await CliProcess.RunAsync(dir.Path, "migrate", "status", "-d", db, "--json");
        using (var doc = JsonDocument.Parse(json.Out))
        {
            Assert.False(doc.RootElement.GetProperty("exists").GetBoolean());
            Assert.Equal("pending", doc.RootElement.GetProperty("migrations")[0].GetProperty("state").GetString());
        }

        var dry = await CliProcess.RunAsync(dir.Path, "migrate", "up", "--dry-run", "-d", db);
        Assert.True(dry.ExitCode == 0, dry.ToString());
        Assert.Contains("-- migration 001 schema", dry.Out, StringComparison.Ordinal);
        Assert.Contains("CREATE TABLE events", dry.Out, StringComparison.Ordinal);
        Assert.Contains("Nothing was changed", dry.Out, StringComparison.Ordinal);
        Assert.Empty(Directory.GetFiles(dir.Path));
    }

    [Fact]
    public async Task Up_creates_the_store_records_the_history_and_is_idempotent()
    {
        using var dir = new TempDirectory();
        var db = "sqlite://" + dir.File("store.db");
        var up = await CliProcess.RunAsync(dir.Path, "migrate", "up", "-d", db, "--json");
        Assert.True(up.ExitCode == 0, up.ToString());
        using (var doc = JsonDocument.Parse(up.Out))
        {
            Assert.Equal(0, doc.RootElement.GetProperty("fromVersion").GetInt32());
            Assert.Equal(1, doc.RootElement.GetProperty("applied")[0].GetProperty("version").GetInt32());
        }

        var status = await CliProcess.RunAsync(dir.Path, "migrate", "status", "-d", db, "--json");
        Assert.True(status.ExitCode == 0, status.ToString());
        using (var doc = JsonDocument.Parse(status.Out))
        {
            Assert.True(doc.RootElement.GetProperty("upToDate").GetBoolean());
            var first = doc.RootElement.GetProperty("migrations")[0];
            Assert.Equal("applied", first.GetProperty("state").GetString());
            Assert.Equal(64, first.GetProperty("checksum").GetString()!.Length);
            Assert.Equal(first.GetProperty("checksum").GetString(), first.GetProperty("recordedChecksum").GetString());
        }

        var again = await CliProcess.RunAsync(dir.Path, "migrate", "up", "-d", db);
        Assert.True(again.ExitCode == 0, again.ToString());
        Assert.Contains("nothing to apply", again.Out, StringComparison.Ordinal);
        var append = await CliProcess.RunAsync(dir.Path, "append", "-d", db, "-s", "s-1", "-t", "t", "--data", "{}");
        Assert.True(append.ExitCode == 0, append.ToString());
    }

    [Fact]
    public async Task Up_upgrades_a_version_1_store_and_its_events_stay_readable()
    {
        using var dir = new TempDirectory();
        File.Copy(FixturePath("sqlite-v1.db"), dir.File("old.db"));
        var db = "sqlite://" + dir.File("old.db");
        var status = await CliProcess.RunAsync(dir.Path, "migrate", "status", "-d", db);
        Assert.True(status.ExitCode == 0, status.ToString());
        Assert.Contains("Version  1 (latest", status.Out, StringComparison.Ordinal);
        Assert.Contains("history not recorded yet", status.Out, StringComparison.Ordinal);

        var up = await CliProcess.RunAsync(dir.Path, "migrate", "up", "-d", db);
        Assert.True(up.ExitCode == 0, up.ToString());
        Assert.Contains("Recorded 1 migration(s)", up.Out, StringComparison.Ordinal);

        var read = await CliProcess.RunAsync(dir.Path, "read", "--all", "-d", db);
        Assert.True(read.ExitCode == 0, read.ToString());
        Assert.Equal(7, read.OutLines.Length);
        Assert.Contains("0195a000-0000-7000-8000-000000000007", read.OutLines[6], StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_modified_migration_fails_status_up_and_open_with_one_line_naming_it()
    {
        using var dir = new TempDirectory();
        var file = dir.File("store.db");
        var db = "sqlite://" + file;
        Assert.Equal(0, (await CliProcess.RunAsync(dir.Path, "migrate", "up", "-d", db)).ExitCode);
        await using (var c = new SqliteConnection($"Data Source={file};Pooling=false"))
        {
            await c.OpenAsync(TestContext.Current.CancellationToken);
            await using var cmd = c.CreateCommand();
            cmd.CommandText = "UPDATE eventuali_migrations SET checksum = 'feed' WHERE version = 1";
            await cmd.ExecuteNonQueryAsync(TestContext.Current.CancellationToken);
        }

        foreach (var args in new[] { new[] { "migrate", "status" }, ["migrate", "up"], ["migrate", "up", "--dry-run"], ["read", "--all"] })
        {
            var result = await CliProcess.RunAsync(dir.Path, [.. args, "-d", db]);
            Assert.True(result.ExitCode == 1, result.ToString());
            Assert.Contains("migration 1 (schema) was modified", Assert.Single(result.ErrorLines), StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData("migrate")]
    [InlineData("migrate", "down")]
    [InlineData("migrate", "up", "--to-version", "0")]
    [InlineData("migrate", "up", "--to-version", "soon")]
    [InlineData("migrate", "status", "--dry-run")]
    public async Task Bad_usage_exits_2(params string[] args)
    {
        using var dir = new TempDirectory();
        var result = await CliProcess.RunAsync(dir.Path, args);
        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.StartsWith("eventuali: ", Assert.Single(result.ErrorLines), StringComparison.Ordinal);
        Assert.Empty(Directory.GetFiles(dir.Path));
    }

    [Fact]
    public async Task A_version_beyond_the_latest_fails_and_memory_has_nothing_to_migrate()
    {
        using var dir = new TempDirectory();
        var beyond = await CliProcess.RunAsync(dir.Path, "migrate", "up", "--to-version", "9999", "-d", "sqlite://" + dir.File("store.db"));
        Assert.True(beyond.ExitCode == 1, beyond.ToString());
        Assert.Contains("version 9999", Assert.Single(beyond.ErrorLines), StringComparison.Ordinal);

        var memory = await CliProcess.RunAsync(dir.Path, "migrate", "status", "-d", "memory://");
        Assert.True(memory.ExitCode == 0, memory.ToString());
        Assert.Contains("nothing to migrate", memory.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Help_shows_examples()
    {
        using var dir = new TempDirectory();
        var help = await CliProcess.RunAsync(dir.Path, "migrate", "up", "--help");
        Assert.True(help.ExitCode == 0, help.ToString());
        Assert.Contains("eventuali migrate up --dry-run", help.Out, StringComparison.Ordinal);
        Assert.Contains("--to-version", help.Out, StringComparison.Ordinal);
    }

    private static string FixturePath(string name)
    {
        for (var d = new DirectoryInfo(AppContext.BaseDirectory); d is not null; d = d.Parent)
        {
            var candidate = Path.Combine(d.FullName, "tests", "fixtures", "v1", name);
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new FileNotFoundException($"tests/fixtures/v1/{name} not found above {AppContext.BaseDirectory}.");
    }
}
