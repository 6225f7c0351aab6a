using Npgsql;

namespace Eventuali.Cli.Tests;

/// <summary>Commands that only read never create a store on a mistyped path or schema: they fail with "No such store".</summary>
public sealed class NoSuchStoreTests
{
    public static TheoryData<string> ReadingCommands =>
    [
        "stats",
        "verify",
        "read --all",
        "read --stream order-1",
        "query",
        "export",
        "stream info --stream order-1",
        "stream read --stream order-1",
        "projections list",
        "projections status balances",
        "snapshot list --stream account-alice",
    ];

    [Theory]
    [MemberData(nameof(ReadingCommands))]
    public async Task Reading_a_mistyped_sqlite_path_fails_and_creates_nothing(string command)
    {
        using var dir = new TempDirectory();
        var result = await CliProcess.RunAsync(dir.Path, [.. command.Split(' '), "-d", "sqlite://typo.db"]);
        Assert.True(result.ExitCode == 1, result.ToString());
        var line = Assert.Single(result.ErrorLines);
        Assert.StartsWith("eventuali: No such store: the SQLite file '", line, StringComparison.Ordinal);
        Assert.Contains("typo.db", line, StringComparison.Ordinal);
        Assert.Empty(result.Out);
        Assert.Empty(Directory.GetFileSystemEntries(dir.Path));
    }

    [Fact]
    public async Task An_empty_file_is_no_store_either_and_is_left_as_it_is()
    {
        using var dir = new TempDirectory();
        await File.WriteAllBytesAsync(dir.File("empty.db"), [], TestContext.Current.CancellationToken);
        var result = await CliProcess.RunAsync(dir.Path, "stats", "-d", "sqlite://empty.db");
        Assert.True(result.ExitCode == 1, result.ToString());
        Assert.Contains("No such store", result.Error, StringComparison.Ordinal);
        Assert.Equal(0, new FileInfo(dir.File("empty.db")).Length);
    }

    [Fact]
    public async Task Writing_commands_still_create_and_then_reading_works()
    {
        using var dir = new TempDirectory();
        var append = await CliProcess.RunAsync(dir.Path, "append", "-d", "sqlite://new.db", "-s", "order-1", "-t", "placed", "--data", "{}");
        Assert.True(append.ExitCode == 0, append.ToString());
        var init = await CliProcess.RunAsync(dir.Path, "init", "-d", "sqlite://other.db");
        Assert.True(init.ExitCode == 0, init.ToString());

        var stats = await CliProcess.RunAsync(dir.Path, "stats", "-d", "sqlite://new.db", "--json");
        Assert.True(stats.ExitCode == 0, stats.ToString());
        Assert.Contains("\"events\":1", stats.Out, StringComparison.Ordinal);
        var verify = await CliProcess.RunAsync(dir.Path, "verify", "-d", "sqlite://other.db");
        Assert.True(verify.ExitCode == 0, verify.ToString());
    }

    [Fact]
    public async Task Memory_urls_open_empty_as_before()
    {
        using var dir = new TempDirectory();
        var result = await CliProcess.RunAsync(dir.Path, "stats", "-d", "memory://", "--json");
        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("\"events\":0", result.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Reading_a_postgres_schema_without_store_tables_fails_and_creates_no_schema()
    {
        await using var scratch = new PgScratch("nostore");
        using var dir = new TempDirectory();
        foreach (var command in new[] { new[] { "stats" }, ["verify"], ["read", "--all"] })
        {
            var result = await CliProcess.RunAsync(dir.Path, [.. command, "-d", scratch.Url]);
            Assert.True(result.ExitCode == 1, result.ToString());
            var line = Assert.Single(result.ErrorLines);
            Assert.StartsWith($"eventuali: No such store: the PostgreSQL schema '{scratch.Schema}'", line, StringComparison.Ordinal);
            Assert.Contains("has no Eventuali store tables", line, StringComparison.Ordinal);
        }

        Assert.False(await SchemaExistsAsync(scratch.Schema));
    }

    private static async Task<bool> SchemaExistsAsync(string schema)
    {
        var uri = new Uri(PgScratch.ServerUrl);
        var user = uri.UserInfo.Split(':');
        var builder = new NpgsqlConnectionStringBuilder
        {
            Host = uri.Host,
            Port = uri.Port,
            Username = Uri.UnescapeDataString(user[0]),
            Password = Uri.UnescapeDataString(user.ElementAtOrDefault(1) ?? string.Empty),
            Database = uri.AbsolutePath.TrimStart('/'),
        };
        await using var dataSource = NpgsqlDataSource.Create(builder);
        await using var cmd = dataSource.CreateCommand("SELECT count(*) FROM information_schema.schemata WHERE schema_name = $1");
        cmd.Parameters.AddWithValue(schema);
        return (long)(await cmd.ExecuteScalarAsync(TestContext.Current.CancellationToken))! > 0;
    }
}
