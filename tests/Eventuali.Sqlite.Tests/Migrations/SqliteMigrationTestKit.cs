using Eventuali.Conformance.Migrations;
using Eventuali.Extensibility;
using Eventuali.Migrations;
using Microsoft.Data.Sqlite;

namespace Eventuali.Sqlite.Tests.Migrations;

/// <summary>A copy of the checked-in v1 store, and the shipped migrations plus test migrations 998 and 999.</summary>
internal static class SqliteMigrationTestKit
{
    /// <summary>998 creates a table, 999 writes one row into it: applied twice, the row count would show it (or 998 would fail).</summary>
    public static MigrationCatalog WithTestMigrations(string probeNote = "added by a test migration") => SqliteMigrations.Catalog.With(
        new MigrationScript(998, "test_probe_table", "CREATE TABLE migration_probe (n INTEGER NOT NULL, note TEXT NOT NULL);"),
        new MigrationScript(999, "test_probe_row", $"INSERT INTO migration_probe (n, note) VALUES (1, '{probeNote}');"));

    public static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>Copies tests/fixtures/v1/sqlite-v1.db to <paramref name="temp"/>'s file.</summary>
    public static void CopyV1Store(TempSqliteStore temp) => File.Copy(V1StoreVerifier.FixturePath("sqlite-v1.db"), temp.FilePath);

    public static SqliteSchemaMigrator Migrator(TempSqliteStore temp, MigrationCatalog catalog)
        => new(SqliteLocation.Parse(temp.FilePath, Durability.Full), catalog, TimeProvider.System);

    public static Task<IEventStore> OpenAsync(TempSqliteStore temp, MigrationCatalog catalog, bool applyOnOpen = false)
        => SqliteEventStore.OpenAsync(temp.FilePath, new EventStoreOptions { ApplyMigrationsOnOpen = applyOnOpen }, catalog, Ct).AsTask();

    public static async Task<long> ScalarAsync(string file, string sql)
    {
        await using var c = new SqliteConnection($"Data Source={file};Pooling=false");
        await c.OpenAsync(Ct);
        await using var cmd = c.CreateCommand();
        cmd.CommandText = sql;
        return Convert.ToInt64(await cmd.ExecuteScalarAsync(Ct), System.Globalization.CultureInfo.InvariantCulture);
    }

    public static async Task ExecAsync(string file, string sql)
    {
        await using var c = new SqliteConnection($"Data Source={file};Pooling=false");
        await c.OpenAsync(Ct);
        await using var cmd = c.CreateCommand();
        cmd.CommandText = sql;
        await cmd.ExecuteNonQueryAsync(Ct);
    }

    /// <summary>The file and its WAL, to prove an operation wrote nothing.</summary>
    public static byte[] Snapshot(string file)
        => [.. File.ReadAllBytes(file), .. File.Exists(file + "-wal") ? File.ReadAllBytes(file + "-wal") : []];
}
