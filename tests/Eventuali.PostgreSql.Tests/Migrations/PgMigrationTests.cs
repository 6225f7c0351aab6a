using Eventuali.Conformance.Migrations;
using Eventuali.Migrations;
using static Eventuali.PostgreSql.Tests.Migrations.PgMigrationTestKit;

namespace Eventuali.PostgreSql.Tests.Migrations;

/// <summary>Upgrading a real v1 store (pg_dump fixture) and the runner's safety rules on PostgreSQL.</summary>
public sealed class PgMigrationTests : IAsyncLifetime
{
    private readonly PgMigrationTestKit _kit = new();

    public ValueTask InitializeAsync() => ValueTask.CompletedTask;

    public ValueTask DisposeAsync() => _kit.DisposeAsync();

    [Fact]
    public async Task Pending_migrations_refuse_the_open_by_default_and_change_nothing()
    {
        var url = await _kit.NewV1StoreAsync("mig_refuse");
        var error = await Assert.ThrowsAsync<EventStoreConfigurationException>(() => _kit.OpenAsync(url, WithTestMigrations()));
        Assert.Contains($"PostgreSQL schema '{SchemaOf(url)}'", error.Message, StringComparison.Ordinal);
        Assert.Contains("is at schema version 1", error.Message, StringComparison.Ordinal);
        Assert.Contains("latest is 999", error.Message, StringComparison.Ordinal);
        Assert.Contains("eventuali migrate up", error.Message, StringComparison.Ordinal);
        Assert.Null(await ScalarAsync($"SELECT to_regclass('\"{SchemaOf(url)}\".migrations')::text"));
        Assert.Equal(1, await ScalarAsync($"SELECT schema_version FROM \"{SchemaOf(url)}\".meta"));
    }

    [Fact]
    public async Task Up_upgrades_the_v1_store_keeping_every_event_and_the_store_works_after()
    {
        var url = await _kit.NewV1StoreAsync("mig_up");
        var catalog = WithTestMigrations();
        var before = await _kit.Migrator(url, catalog).StatusAsync(Ct);
        Assert.Equal((true, 1, false), (before.StoreExists, before.CurrentVersion, before.HistoryRecorded));

        var result = await _kit.Migrator(url, catalog).UpAsync(cancellationToken: Ct);
        Assert.Equal((1, 999, 1), (result.FromVersion, result.ToVersion, result.Adopted));
        Assert.Equal(catalog.Scripts.Where(s => s.Version > 1).Select(s => s.Version), result.Applied.Select(m => m.Version));
        Assert.True((await _kit.Migrator(url, catalog).StatusAsync(Ct)).IsUpToDate);
        Assert.Equal(1L, await ScalarAsync($"SELECT count(*) FROM \"{SchemaOf(url)}\".migration_probe"));

        var store = await _kit.OpenAsync(url, catalog);
        await V1StoreVerifier.VerifyAsync(store);
        await AssertStoreWorksAsync(store);
    }

    [Fact]
    public async Task ApplyMigrationsOnOpen_upgrades_the_v1_store_while_opening()
    {
        var url = await _kit.NewV1StoreAsync("mig_open");
        var store = await _kit.OpenAsync(url, WithTestMigrations(), applyOnOpen: true);
        await V1StoreVerifier.VerifyAsync(store);
        await AssertStoreWorksAsync(store);
    }

    [Fact]
    public async Task Runners_racing_on_one_schema_apply_each_migration_exactly_once()
    {
        var url = await _kit.NewV1StoreAsync("mig_race");
        var catalog = WithTestMigrations();
        var migrators = Enumerable.Range(0, 4).Select(_ => _kit.Migrator(url, catalog)).ToList();
        using var start = new ManualResetEventSlim();
        var runs = migrators.Select(m => Task.Run(async () => { start.Wait(Ct); return await m.UpAsync(cancellationToken: Ct); }, Ct)).ToArray();
        start.Set();
        var results = await Task.WhenAll(runs);

        Assert.Equal(catalog.Scripts.Where(s => s.Version > 1).Select(s => s.Version), results.SelectMany(r => r.Applied.Select(m => m.Version)).Order());
        Assert.Equal(1, results.Sum(r => r.Adopted));
        Assert.Equal(1L, await ScalarAsync($"SELECT count(*) FROM \"{SchemaOf(url)}\".migration_probe"));
        Assert.Equal((long)catalog.Scripts.Count, await ScalarAsync($"SELECT count(*) FROM \"{SchemaOf(url)}\".migrations"));
        await V1StoreVerifier.VerifyAsync(await _kit.OpenAsync(url, catalog));
    }

    [Fact]
    public async Task Nodes_opening_an_empty_schema_at_once_all_see_it_created_whole()
    {
        var url = await _kit.NewUrlAsync("mig_nodes");
        var catalog = WithTestMigrations();
        var stores = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Task.Run(() => _kit.OpenAsync(url, catalog), Ct)));
        Assert.Equal(4, stores.Length);
        Assert.Equal(1L, await ScalarAsync($"SELECT count(*) FROM \"{SchemaOf(url)}\".migration_probe"));
        Assert.True((await _kit.Migrator(url, catalog).StatusAsync(Ct)).IsUpToDate);
    }

    [Fact]
    public async Task A_modified_applied_migration_is_an_error_naming_its_version_on_status_up_and_open()
    {
        var url = await _kit.NewUrlAsync("mig_sum");
        await _kit.Migrator(url, WithTestMigrations()).UpAsync(cancellationToken: Ct);
        var edited = WithTestMigrations("the script was edited after it ran");

        var status = await _kit.Migrator(url, edited).StatusAsync(Ct);
        Assert.Equal((999, MigrationState.Modified), (Assert.Single(status.Errors).Version, Assert.Single(status.Errors).State));
        var up = await Assert.ThrowsAsync<EventStoreConfigurationException>(async () => await _kit.Migrator(url, edited).UpAsync(cancellationToken: Ct));
        Assert.Contains("migration 999 (test_probe_row) was modified", up.Message, StringComparison.Ordinal);
        var open = await Assert.ThrowsAsync<EventStoreConfigurationException>(() => _kit.OpenAsync(url, edited, applyOnOpen: true));
        Assert.Contains("migration 999 (test_probe_row) was modified", open.Message, StringComparison.Ordinal);

        await ExecAsync($"UPDATE \"{SchemaOf(url)}\".migrations SET checksum = 'feed' WHERE version = 1");
        var tampered = await Assert.ThrowsAsync<EventStoreConfigurationException>(() => _kit.OpenAsync(url, WithTestMigrations()));
        Assert.Contains("migration 1 (schema) was modified", tampered.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Dry_run_plans_the_sql_for_this_schema_and_changes_nothing()
    {
        var empty = await _kit.NewUrlAsync("mig_dry_new");
        var catalog = WithTestMigrations();
        var fresh = await _kit.Migrator(empty, catalog).PlanAsync(cancellationToken: Ct);
        Assert.Equal(catalog.Scripts.Select(s => s.Version), fresh.Migrations.Select(m => m.Version));
        Assert.Contains($"CREATE SCHEMA IF NOT EXISTS \"{SchemaOf(empty)}\"", fresh.Migrations[0].Sql, StringComparison.Ordinal);
        Assert.Contains(fresh.SupportSql, sql => sql.Contains("FUNCTION", StringComparison.Ordinal));
        Assert.Null(await ScalarAsync($"SELECT nspname::text FROM pg_namespace WHERE nspname = '{SchemaOf(empty)}'"));

        var url = await _kit.NewV1StoreAsync("mig_dry_v1");
        var plan = await _kit.Migrator(url, catalog).PlanAsync(998, Ct);
        Assert.Equal((1, 998), (plan.CurrentVersion, plan.TargetVersion));
        Assert.Equal(catalog.Scripts.Where(s => s.Version is > 1 and <= 998).Select(s => s.Version), plan.Migrations.Select(m => m.Version));
        Assert.DoesNotContain(plan.SupportSql, sql => sql.Contains("FUNCTION", StringComparison.Ordinal)); // not the latest: no append function yet
        Assert.Null(await ScalarAsync($"SELECT to_regclass('\"{SchemaOf(url)}\".migrations')::text"));
        Assert.Equal(1, (await _kit.Migrator(url, catalog).StatusAsync(Ct)).CurrentVersion);
    }

    [Fact]
    public async Task Up_to_a_version_stops_there_and_is_forward_only()
    {
        var url = await _kit.NewUrlAsync("mig_to");
        var catalog = WithTestMigrations();
        var first = await _kit.Migrator(url, catalog).UpAsync(1, Ct);
        Assert.Equal((0, 1), (first.FromVersion, first.ToVersion));
        Assert.Equal(catalog.Scripts.Count - 1, (await _kit.Migrator(url, catalog).StatusAsync(Ct)).Pending.Count());

        var second = await _kit.Migrator(url, catalog).UpAsync(998, Ct);
        Assert.Equal((1, 998), (second.FromVersion, second.ToVersion));
        var down = await Assert.ThrowsAsync<EventStoreConfigurationException>(async () => await _kit.Migrator(url, catalog).UpAsync(1, Ct));
        Assert.Contains("forward-only", down.Message, StringComparison.Ordinal);
    }

    private static async Task AssertStoreWorksAsync(PostgreSqlEventStore store)
    {
        var next = await store.AppendAsync("account-1", ExpectedVersion.Exact(4), [new EventData(Guid.NewGuid(), "reopened", "{\"after\":\"upgrade\"}"u8.ToArray())], Ct);
        Assert.Equal(5, next.StreamVersion);
        var conflict = await Assert.ThrowsAsync<ConcurrencyException>(async () =>
            await store.AppendAsync("account-1", ExpectedVersion.Exact(4), [new EventData(Guid.NewGuid(), "stale", "{}"u8.ToArray())], Ct));
        Assert.Equal(5, conflict.ActualVersion);
        await Assert.ThrowsAsync<DuplicateEventIdException>(async () => await store.AppendAsync("other", ExpectedVersion.Any, V1StoreEvents.Appends[0].Events, Ct));
        await TestEvents.WaitUntilReadableAsync(store, next.LastPosition);
        Assert.Equal(V1StoreVerifier.EventCount + 1, await store.ReadAllAsync(cancellationToken: Ct).CountAsync(Ct));
    }
}
