using Microsoft.Data.Sqlite;
using static Eventuali.Sqlite.Tests.TestEvents;

namespace Eventuali.Sqlite.Tests;

public sealed class OpenErrorTests
{
    [Fact]
    public async Task Missing_directory_is_named_and_not_created()
    {
        await using var temp = new TempSqliteStore();
        var missing = Path.Combine(temp.Directory, "no-such-dir");
        var error = await Assert.ThrowsAsync<EventStoreConfigurationException>(async () => await SqliteEventStore.OpenAsync(Path.Combine(missing, "events.db"), EventStoreOptions.Default, Ct));
        Assert.Contains($"'{missing}'", error.Message, StringComparison.Ordinal);
        Assert.Contains("does not exist", error.Message, StringComparison.Ordinal);
        Assert.False(Directory.Exists(missing));
    }

    [Fact]
    public async Task A_location_where_no_file_can_be_created_is_named()
    {
        // /proc exists but accepts no new files, even for root.
        var path = "/proc/eventuali-" + Guid.NewGuid().ToString("N") + ".db";
        Assert.SkipUnless(OperatingSystem.IsLinux(), "needs /proc");
        var error = await Assert.ThrowsAsync<EventStoreConfigurationException>(async () => await SqliteEventStore.OpenAsync(path, EventStoreOptions.Default, Ct));
        Assert.Contains($"'{path}'", error.Message, StringComparison.Ordinal);
        Assert.False(File.Exists(path));
    }

    [Fact]
    public async Task A_file_that_is_not_sqlite_is_refused_and_left_unchanged()
    {
        await using var temp = new TempSqliteStore();
        var content = "this is a text file, not a database\n"u8.ToArray();
        await File.WriteAllBytesAsync(temp.FilePath, content, Ct);
        var error = await Assert.ThrowsAsync<EventStoreConfigurationException>(() => temp.OpenAsync());
        Assert.Contains($"file '{temp.FilePath}' is not a SQLite database", error.Message, StringComparison.Ordinal);
        Assert.Equal(content, await File.ReadAllBytesAsync(temp.FilePath, Ct));
    }

    [Fact]
    public async Task A_sqlite_database_that_is_not_an_eventuali_store_is_refused_and_left_unchanged()
    {
        await using var temp = new TempSqliteStore();
        await using (var other = new SqliteConnection($"Data Source={temp.FilePath};Pooling=false"))
        {
            await other.OpenAsync(Ct);
            await using var command = other.CreateCommand();
            command.CommandText = "CREATE TABLE customers (id INTEGER PRIMARY KEY, name TEXT); INSERT INTO customers (name) VALUES ('ada');";
            await command.ExecuteNonQueryAsync(Ct);
        }

        var before = await File.ReadAllBytesAsync(temp.FilePath, Ct);
        var error = await Assert.ThrowsAsync<EventStoreConfigurationException>(() => temp.OpenAsync());
        Assert.Contains($"'{temp.FilePath}' is not an Eventuali store", error.Message, StringComparison.Ordinal);
        Assert.Equal(before, await File.ReadAllBytesAsync(temp.FilePath, Ct));
        Assert.False(File.Exists(temp.FilePath + "-wal") && new FileInfo(temp.FilePath + "-wal").Length > 0);
    }

    [Fact]
    public async Task A_newer_schema_version_is_refused_and_left_unchanged()
    {
        await using var temp = new TempSqliteStore();
        var store = await temp.OpenAsync();
        await store.AppendAsync("s-1", ExpectedVersion.NoStream, Deposits(1), Ct);
        await store.DisposeAsync();
        await using (var other = new SqliteConnection($"Data Source={temp.FilePath};Pooling=false"))
        {
            await other.OpenAsync(Ct);
            await using var command = other.CreateCommand();
            command.CommandText = "UPDATE eventuali_meta SET value = '99' WHERE key = 'schema_version'; PRAGMA wal_checkpoint(TRUNCATE);";
            await command.ExecuteNonQueryAsync(Ct);
        }

        var before = await File.ReadAllBytesAsync(temp.FilePath, Ct);
        var error = await Assert.ThrowsAsync<EventStoreConfigurationException>(() => temp.OpenAsync());
        Assert.Contains($"'{temp.FilePath}' has Eventuali schema version 99", error.Message, StringComparison.Ordinal);
        Assert.Contains($"up to version {SqlText.LatestVersion}", error.Message, StringComparison.Ordinal);
        Assert.Equal(before, await File.ReadAllBytesAsync(temp.FilePath, Ct));
    }

    [Theory]
    [InlineData("?mode=fast", "'mode'")]
    [InlineData("?durability=sometimes", "'sometimes'")]
    public async Task Unknown_url_options_are_named(string query, string named)
    {
        await using var temp = new TempSqliteStore();
        var error = await Assert.ThrowsAsync<EventStoreConfigurationException>(() => temp.OpenAsync(query: query));
        Assert.Contains(named, error.Message, StringComparison.Ordinal);
        Assert.False(File.Exists(temp.FilePath));
    }

    [Fact]
    public async Task A_directory_as_path_and_an_empty_path_are_refused()
    {
        await using var temp = new TempSqliteStore();
        var dir = await Assert.ThrowsAsync<EventStoreConfigurationException>(async () => await SqliteEventStore.OpenAsync(temp.Directory, EventStoreOptions.Default, Ct));
        Assert.Contains($"'{temp.Directory}' is a directory", dir.Message, StringComparison.Ordinal);
        await Assert.ThrowsAsync<EventStoreConfigurationException>(async () => await SqliteEventStore.OpenAsync("", EventStoreOptions.Default, Ct));
    }

    [Fact]
    public async Task A_fresh_file_gets_the_complete_schema_and_meta_rows()
    {
        await using var temp = new TempSqliteStore();
        await temp.OpenAsync();
        await using var probe = new SqliteConnection($"Data Source={temp.FilePath};Pooling=false");
        await probe.OpenAsync(Ct);
        await using var command = probe.CreateCommand();
        command.CommandText = "SELECT (SELECT value FROM eventuali_meta WHERE key = 'marker') || ':' || (SELECT value FROM eventuali_meta WHERE key = 'schema_version') || ':' || (SELECT count(*) FROM sqlite_master WHERE name IN ('streams', 'events'))";
        Assert.Equal($"eventuali:{SqlText.LatestVersion}:2", (string?)await command.ExecuteScalarAsync(Ct));
    }
}
