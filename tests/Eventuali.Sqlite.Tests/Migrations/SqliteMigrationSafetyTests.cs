using Eventuali.Conformance.Migrations;
using Eventuali.Extensibility;
using Eventuali.Migrations;
using static Eventuali.Sqlite.Tests.Migrations.SqliteMigrationTestKit;

namespace Eventuali.Sqlite.Tests.Migrations;

/// <summary>Racing runners, modified migrations, dry runs: the runner's safety rules on SQLite.</summary>
public sealed class SqliteMigrationSafetyTests
{
    [Fact]
    public async Task Runners_racing_on_one_file_apply_each_migration_exactly_once()
    {
        await using var temp = new TempSqliteStore();
        CopyV1Store(temp);
        var catalog = WithTestMigrations();
        using var start = new ManualResetEventSlim();
        var runners = Enumerable.Range(0, 4).Select(_ => Task.Run(async () =>
        {
            start.Wait(Ct);
            return await Migrator(temp, catalog).UpAsync(cancellationToken: Ct);
        }, Ct)).ToArray();
        start.Set();
        var results = await Task.WhenAll(runners);

        var applied = results.SelectMany(r => r.Applied.Select(m => m.Version)).Order().ToList();
        Assert.Equal(catalog.Scripts.Where(s => s.Version > 1).Select(s => s.Version), applied);
        Assert.Equal(1, results.Sum(r => r.Adopted));
        Assert.All(results, r => Assert.Equal(999, r.ToVersion));
        Assert.Equal(1, await ScalarAsync(temp.FilePath, "SELECT count(*) FROM migration_probe"));
        Assert.Equal(catalog.Scripts.Count, await ScalarAsync(temp.FilePath, "SELECT count(*) FROM eventuali_migrations"));
        await V1StoreVerifier.VerifyAsync(await OpenAsync(temp, catalog));
    }

    [Fact]
    public async Task Stores_opening_an_empty_file_at_once_create_it_once()
    {
        await using var temp = new TempSqliteStore();
        var catalog = WithTestMigrations();
        var stores = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Task.Run(() => OpenAsync(temp, catalog), Ct)));
        foreach (var s in stores)
        {
            await s.DisposeAsync();
        }

        Assert.Equal(1, await ScalarAsync(temp.FilePath, "SELECT count(*) FROM migration_probe"));
        Assert.True((await Migrator(temp, catalog).StatusAsync(Ct)).IsUpToDate);
    }

    [Fact]
    public async Task A_modified_applied_migration_is_an_error_naming_its_version_on_status_up_and_open()
    {
        await using var temp = new TempSqliteStore();
        CopyV1Store(temp);
        await Migrator(temp, WithTestMigrations()).UpAsync(cancellationToken: Ct);

        var edited = WithTestMigrations("the script was edited after it ran");
        var status = await Migrator(temp, edited).StatusAsync(Ct);
        var modified = Assert.Single(status.Errors);
        Assert.Equal((999, MigrationState.Modified), (modified.Version, modified.State));
        Assert.NotEqual(modified.Checksum, modified.RecordedChecksum);
        var unusable = Assert.Throws<EventStoreConfigurationException>(status.ThrowIfUnusable);
        Assert.Contains("migration 999 (test_probe_row) was modified", unusable.Message, StringComparison.Ordinal);

        var up = await Assert.ThrowsAsync<EventStoreConfigurationException>(async () => await Migrator(temp, edited).UpAsync(cancellationToken: Ct));
        Assert.Contains("migration 999", up.Message, StringComparison.Ordinal);
        var open = await Assert.ThrowsAsync<EventStoreConfigurationException>(() => OpenAsync(temp, edited, applyOnOpen: true));
        Assert.Contains("migration 999 (test_probe_row) was modified", open.Message, StringComparison.Ordinal);

        // A recorded checksum changed in the store is caught the same way, on the one-query open path too.
        await ExecAsync(temp.FilePath, "UPDATE eventuali_migrations SET checksum = 'feed' WHERE version = 1");
        var tampered = await Assert.ThrowsAsync<EventStoreConfigurationException>(() => OpenAsync(temp, WithTestMigrations()));
        Assert.Contains("migration 1 (schema) was modified", tampered.Message, StringComparison.Ordinal);
        Assert.Contains("recorded checksum feed", tampered.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_store_missing_a_migration_below_its_version_or_holding_an_unknown_one_is_refused()
    {
        await using var temp = new TempSqliteStore();
        await Migrator(temp, WithTestMigrations()).UpAsync(cancellationToken: Ct);
        var withGapFilled = WithTestMigrations().With(new MigrationScript(500, "late_addition", "CREATE TABLE late (x INTEGER);"));
        var skipped = await Assert.ThrowsAsync<EventStoreConfigurationException>(() => OpenAsync(temp, withGapFilled, applyOnOpen: true));
        Assert.Contains("migration 500 (late_addition) was never applied", skipped.Message, StringComparison.Ordinal);

        var withoutProbeRow = SqliteMigrations.Catalog.With(new MigrationScript(998, "test_probe_table", WithTestMigrations().Find(998)!.Text), new MigrationScript(1000, "other", "SELECT 1;"));
        var unknown = await Migrator(temp, withoutProbeRow).StatusAsync(Ct);
        Assert.Equal(MigrationState.Unknown, Assert.Single(unknown.Errors).State);
    }

    [Fact]
    public async Task Dry_run_plans_the_exact_sql_and_changes_nothing()
    {
        await using var temp = new TempSqliteStore();
        var catalog = WithTestMigrations();
        var fresh = await Migrator(temp, catalog).PlanAsync(cancellationToken: Ct);
        Assert.Equal(catalog.Scripts.Select(s => (s.Version, s.Text)), fresh.Migrations.Select(m => (m.Version, m.Sql)));
        Assert.False(File.Exists(temp.FilePath));
        Assert.False((await Migrator(temp, catalog).StatusAsync(Ct)).StoreExists);
        Assert.False(File.Exists(temp.FilePath));

        CopyV1Store(temp);
        var before = Snapshot(temp.FilePath);
        var plan = await Migrator(temp, catalog).PlanAsync(998, Ct);
        Assert.Equal((1, 998), (plan.CurrentVersion, plan.TargetVersion));
        Assert.Equal(catalog.Scripts.Where(s => s.Version is > 1 and <= 998).Select(s => s.Version), plan.Migrations.Select(m => m.Version));
        Assert.Contains(plan.SupportSql, sql => sql.Contains("CREATE TABLE IF NOT EXISTS eventuali_migrations", StringComparison.Ordinal));
        Assert.Equal(before, Snapshot(temp.FilePath));
        Assert.Equal(1, (await Migrator(temp, catalog).StatusAsync(Ct)).CurrentVersion);
    }

    [Fact]
    public void Checksums_ignore_line_endings_and_numbers_are_unique()
    {
        Assert.Equal(MigrationScript.ChecksumOf("a;\nb;\n"), MigrationScript.ChecksumOf("a;\r\nb;\r\n"));
        Assert.NotEqual(MigrationScript.ChecksumOf("a;\nb;\n"), MigrationScript.ChecksumOf("a;\nb; \n"));
        Assert.Throws<InvalidOperationException>(() => SqliteMigrations.Catalog.With(new MigrationScript(1, "again", "SELECT 1;")));
        Assert.Equal(1, SqliteMigrations.Catalog.Scripts[0].Version);
        Assert.Equal("schema", SqliteMigrations.Catalog.Scripts[0].Name);
    }
}
