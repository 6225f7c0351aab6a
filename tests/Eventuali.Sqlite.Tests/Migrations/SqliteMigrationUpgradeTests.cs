using Eventuali.Conformance.Migrations;
using Eventuali.Migrations;
using static Eventuali.Sqlite.Tests.Migrations.SqliteMigrationTestKit;

namespace Eventuali.Sqlite.Tests.Migrations;

/// <summary>Upgrading the checked-in store written at schema version 1 (before the migration history existed).</summary>
public sealed class SqliteMigrationUpgradeTests
{
    [Fact]
    public async Task A_v1_store_without_history_is_adopted_and_its_checksums_recorded()
    {
        await using var temp = new TempSqliteStore();
        CopyV1Store(temp);
        var catalog = SqliteMigrations.Catalog.UpTo(1);
        var before = await Migrator(temp, catalog).StatusAsync(Ct);
        Assert.Equal((1, false, MigrationState.Applied), (before.CurrentVersion, before.HistoryRecorded, Assert.Single(before.Migrations).State));

        var result = await Migrator(temp, catalog).UpAsync(cancellationToken: Ct);
        Assert.Equal((1, 1, 1), (result.FromVersion, result.ToVersion, result.Adopted));
        Assert.Empty(result.Applied);
        var applied = Assert.Single((await Migrator(temp, catalog).StatusAsync(Ct)).Migrations);
        Assert.Equal((1, MigrationState.Applied, catalog.Scripts[0].Checksum), (applied.Version, applied.State, applied.RecordedChecksum));
        Assert.NotNull(applied.AppliedAt);
        Assert.Equal(V1StoreVerifier.EventCount, await ScalarAsync(temp.FilePath, "SELECT count(*) FROM events"));
    }

    [Fact]
    public async Task Pending_migrations_refuse_the_open_by_default_and_change_nothing()
    {
        await using var temp = new TempSqliteStore();
        CopyV1Store(temp);
        var before = Snapshot(temp.FilePath);
        var error = await Assert.ThrowsAsync<EventStoreConfigurationException>(() => OpenAsync(temp, WithTestMigrations()));
        Assert.Contains("is at schema version 1", error.Message, StringComparison.Ordinal);
        Assert.Contains("latest is 999", error.Message, StringComparison.Ordinal);
        Assert.Contains("eventuali migrate up", error.Message, StringComparison.Ordinal);
        Assert.Contains("ApplyMigrationsOnOpen", error.Message, StringComparison.Ordinal);
        Assert.Equal(before, Snapshot(temp.FilePath));
    }

    [Fact]
    public async Task Up_upgrades_the_v1_store_keeping_every_event_and_the_store_works_after()
    {
        await using var temp = new TempSqliteStore();
        CopyV1Store(temp);
        var catalog = WithTestMigrations();
        var migrator = Migrator(temp, catalog);

        var before = await migrator.StatusAsync(Ct);
        Assert.Equal((true, 1, 999, false), (before.StoreExists, before.CurrentVersion, before.LatestVersion, before.HistoryRecorded));
        Assert.Equal(catalog.Scripts.Where(s => s.Version > 1).Select(s => s.Version), before.Pending.Select(m => m.Version));

        var result = await migrator.UpAsync(cancellationToken: Ct);
        Assert.Equal((1, 999, 1), (result.FromVersion, result.ToVersion, result.Adopted));
        Assert.Equal(catalog.Scripts.Where(s => s.Version > 1).Select(s => s.Version), result.Applied.Select(m => m.Version));

        var after = await migrator.StatusAsync(Ct);
        Assert.True(after.IsUpToDate);
        Assert.All(after.Migrations, m => Assert.Equal(m.Checksum, m.RecordedChecksum));
        Assert.Equal(1, await ScalarAsync(temp.FilePath, "SELECT count(*) FROM migration_probe"));
        Assert.Equal(999, await ScalarAsync(temp.FilePath, "SELECT value FROM eventuali_meta WHERE key = 'schema_version'"));

        var store = await OpenAsync(temp, catalog);
        await V1StoreVerifier.VerifyAsync(store);
        await AssertStoreWorksAsync(store);
    }

    [Fact]
    public async Task ApplyMigrationsOnOpen_upgrades_the_v1_store_while_opening()
    {
        await using var temp = new TempSqliteStore();
        CopyV1Store(temp);
        var catalog = WithTestMigrations();
        var store = await OpenAsync(temp, catalog, applyOnOpen: true);
        await V1StoreVerifier.VerifyAsync(store);
        await AssertStoreWorksAsync(store);
        Assert.True((await Migrator(temp, catalog).StatusAsync(Ct)).IsUpToDate);
    }

    [Fact]
    public async Task Up_to_a_version_stops_there_and_an_empty_file_can_be_created_at_version_1()
    {
        await using var temp = new TempSqliteStore();
        var catalog = WithTestMigrations();
        var migrator = Migrator(temp, catalog);
        var first = await migrator.UpAsync(1, Ct);
        Assert.Equal((0, 1), (first.FromVersion, first.ToVersion));
        var status = await migrator.StatusAsync(Ct);
        Assert.Equal(1, status.CurrentVersion);
        Assert.Equal(MigrationState.Applied, status.Migrations[0].State);
        Assert.All(status.Migrations.Skip(1), m => Assert.Equal(MigrationState.Pending, m.State));

        var second = await migrator.UpAsync(998, Ct);
        Assert.Equal((1, 998), (second.FromVersion, second.ToVersion));
        Assert.Equal(0, await ScalarAsync(temp.FilePath, "SELECT count(*) FROM migration_probe"));
        Assert.Empty((await migrator.UpAsync(998, Ct)).Applied);

        var down = await Assert.ThrowsAsync<EventStoreConfigurationException>(async () => await migrator.UpAsync(1, Ct));
        Assert.Contains("forward-only", down.Message, StringComparison.Ordinal);
        var beyond = await Assert.ThrowsAsync<EventStoreConfigurationException>(async () => await migrator.UpAsync(1000, Ct));
        Assert.Contains("version 1000", beyond.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_empty_file_is_always_created_at_the_latest_version_on_open()
    {
        await using var temp = new TempSqliteStore();
        var catalog = WithTestMigrations();
        var store = await OpenAsync(temp, catalog);
        await store.AppendAsync("s", ExpectedVersion.NoStream, [new EventData(Guid.NewGuid(), "t", "{}"u8.ToArray())], Ct);
        var status = await Migrator(temp, catalog).StatusAsync(Ct);
        Assert.Equal(999, status.CurrentVersion);
        Assert.True(status.IsUpToDate);
    }

    private static async Task AssertStoreWorksAsync(IEventStore store)
    {
        var next = await store.AppendAsync("account-1", ExpectedVersion.Exact(4), [new EventData(Guid.NewGuid(), "reopened", "{\"after\":\"upgrade\"}"u8.ToArray())], Ct);
        Assert.Equal(5, next.StreamVersion);
        var conflict = await Assert.ThrowsAsync<ConcurrencyException>(async () =>
            await store.AppendAsync("account-1", ExpectedVersion.Exact(4), [new EventData(Guid.NewGuid(), "stale", "{}"u8.ToArray())], Ct));
        Assert.Equal(5, conflict.ActualVersion);
        var replay = V1StoreEvents.Appends[0];
        await Assert.ThrowsAsync<DuplicateEventIdException>(async () => await store.AppendAsync("other", ExpectedVersion.Any, replay.Events, Ct));
        Assert.Equal(V1StoreVerifier.EventCount + 1, await store.ReadAllAsync(cancellationToken: Ct).CountAsync(Ct));
        Assert.Equal(5, await store.GetStreamVersionAsync("account-1", Ct));
    }
}
