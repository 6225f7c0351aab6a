using Eventuali.Projections;
using static Eventuali.Sqlite.Tests.Migrations.SqliteMigrationTestKit;

namespace Eventuali.Sqlite.Tests.Migrations;

/// <summary>Migration 008: copies of one dead letter collapse to the newest, and the table then holds one per event.</summary>
public sealed class DeadLetterMigrationTests
{
    [Fact]
    public async Task Copies_parked_before_008_collapse_to_the_newest_and_later_copies_are_impossible()
    {
        await using var temp = new TempSqliteStore();
        CopyV1Store(temp);
        var migrator = Migrator(temp, SqliteMigrations.Catalog);
        await migrator.UpAsync(6, Ct);
        await ExecAsync(temp.FilePath, """
            INSERT INTO projection_state (name, position, state, updated_at) VALUES ('p', 9, 'running', 0);
            INSERT INTO projection_dead_letters (projection, position, stream_id, stream_version, event_id, event_type, error, attempts, parked_at)
            VALUES ('p', 5, 's', 1, x'00000000000000000000000000000001', 't', 'first', 3, 1),
                   ('p', 5, 's', 1, x'00000000000000000000000000000001', 't', 'second', 3, 2),
                   ('p', 7, 's', 2, x'00000000000000000000000000000002', 't', 'other', 1, 3),
                   ('q', 5, 's', 1, x'00000000000000000000000000000001', 't', 'q', 1, 4);
            """);

        await migrator.UpAsync(cancellationToken: Ct);
        Assert.True((await migrator.StatusAsync(Ct)).IsUpToDate);
        await using var store = await OpenAsync(temp, SqliteMigrations.Catalog);
        var letters = await store.GetProjectionStore().ReadDeadLettersAsync("p", Ct);
        Assert.Equal([("second", 5L, false), ("other", 7L, false)], letters.Select(d => (d.Error, d.Position, d.RetryRequested)));
        Assert.Single(await store.GetProjectionStore().ReadDeadLettersAsync("q", Ct));
        await Assert.ThrowsAsync<Microsoft.Data.Sqlite.SqliteException>(() => ExecAsync(temp.FilePath,
            "INSERT INTO projection_dead_letters (projection, position, stream_id, stream_version, event_id, event_type, error, attempts, parked_at) VALUES ('p', 7, 's', 2, x'00', 't', 'dup', 1, 5)"));
    }
}
