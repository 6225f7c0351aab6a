using Eventuali.Conformance.Migrations;
using Eventuali.Extensibility;
using Eventuali.Migrations;

namespace Eventuali.PostgreSql.Tests.Migrations;

/// <summary>Schemas for migration tests (dropped on dispose), the checked-in v1 store, and test migrations 998 and 999.</summary>
internal sealed class PgMigrationTestKit : IAsyncDisposable
{
    private readonly PostgreSqlStoreFixture _schemas = new();
    private readonly List<IAsyncDisposable> _opened = [];

    public static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>998 creates a table, 999 writes one row into it: applied twice, the row count would show it (or 998 would fail).</summary>
    public static MigrationCatalog WithTestMigrations(string probeNote = "added by a test migration") => PgMigrations.Catalog.With(
        new MigrationScript(998, "test_probe_table", "CREATE TABLE __SCHEMA__.migration_probe (n integer NOT NULL, note text NOT NULL);"),
        new MigrationScript(999, "test_probe_row", $"INSERT INTO __SCHEMA__.migration_probe (n, note) VALUES (1, '{probeNote}');"));

    public Task<string> NewUrlAsync(string purpose) => _schemas.OpenUrlAsync(purpose);

    public static string SchemaOf(string url) => url[(url.LastIndexOf('=') + 1)..];

    /// <summary>A new schema holding the v1 store of tests/fixtures/v1/postgresql-v1.sql (a pg_dump of a real v1 store).</summary>
    public async Task<string> NewV1StoreAsync(string purpose)
    {
        var url = await NewUrlAsync(purpose);
        var dump = await File.ReadAllTextAsync(V1StoreVerifier.FixturePath("postgresql-v1.sql"), Ct);
        await ExecAsync(dump.Replace("__SCHEMA__", $"\"{SchemaOf(url)}\"", StringComparison.Ordinal));
        return url;
    }

    public PostgreSqlSchemaMigrator Migrator(string url, MigrationCatalog catalog)
    {
        var migrator = new PostgreSqlSchemaMigrator(PgSettings.Parse(url, EventStoreOptions.Default), catalog, TimeProvider.System);
        _opened.Add(migrator);
        return migrator;
    }

    public async Task<PostgreSqlEventStore> OpenAsync(string url, MigrationCatalog catalog, bool applyOnOpen = false)
    {
        var store = await PostgreSqlEventStore.OpenStoreAsync(url, new EventStoreOptions { ApplyMigrationsOnOpen = applyOnOpen }, catalog, Ct);
        _opened.Add(store);
        return store;
    }

    public static async Task<object?> ScalarAsync(string sql)
    {
        await using var raw = await PgTestServer.RawAsync();
        await using var cmd = raw.CreateCommand(sql);
        var value = await cmd.ExecuteScalarAsync(Ct);
        return value is DBNull ? null : value;
    }

    public static async Task ExecAsync(string sql)
    {
        await using var raw = await PgTestServer.RawAsync();
        await using var cmd = raw.CreateCommand(sql);
        await cmd.ExecuteNonQueryAsync(Ct);
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var o in _opened)
        {
            await o.DisposeAsync();
        }

        await _schemas.DisposeAsync();
    }
}
