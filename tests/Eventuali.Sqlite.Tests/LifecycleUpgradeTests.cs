using Eventuali.Lifecycle;
using Microsoft.Data.Sqlite;

namespace Eventuali.Sqlite.Tests;

/// <summary>A store written before the lifecycle migration opens, keeps every event, and supports the lifecycle at once.</summary>
public sealed class LifecycleUpgradeTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_schema_version_1_file_is_upgraded_in_place_and_its_streams_stay_live()
    {
        await using var temp = new TempSqliteStore();
        var ids = new[] { Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid() };
        using (var conn = new SqliteConnection($"Data Source={temp.FilePath};Pooling=False"))
        {
            conn.Open();
            using var tx = conn.BeginTransaction();
            Exec(conn, tx, SqliteMigrations.Catalog.Find(1)!.Text);
            Exec(conn, tx, "INSERT INTO eventuali_meta (key, value) VALUES ('schema_version', '1'), ('marker', 'eventuali')");
            Exec(conn, tx, "INSERT INTO streams (id, name) VALUES (1, 'old-1')");
            for (var i = 0; i < ids.Length; i++)
            {
                using var insert = conn.CreateCommand();
                insert.Transaction = tx;
                insert.CommandText = "INSERT INTO events (stream_id, version, event_id, event_type, data, timestamp) VALUES (1, $v, $id, 'happened', '{}', 0)";
                insert.Parameters.AddWithValue("$v", i + 1);
                insert.Parameters.AddWithValue("$id", ids[i].ToByteArray(bigEndian: true));
                insert.ExecuteNonQuery();
            }

            tx.Commit();
        }

        var store = await temp.OpenAsync(new EventStoreOptions { ApplyMigrationsOnOpen = true });
        Assert.Equal(3, await store.GetStreamVersionAsync("old-1", Ct));
        Assert.Equal(ids, (await store.ReadStreamAsync("old-1", cancellationToken: Ct).ToListAsync()).Select(e => e.EventId));
        var life = store.GetStreamLifecycle();
        Assert.Equal(new StreamInfo("old-1", StreamStatus.Live, 3, 1), await life.GetStreamInfoAsync("old-1", Ct));
        Assert.Equal(1, await life.TruncateStreamAsync("old-1", 2, Ct));
        Assert.True(await life.DeleteStreamAsync("old-1", DeleteMode.Soft, Ct));
        Assert.True(await life.RestoreStreamAsync("old-1", Ct));
        Assert.Equal(4, (await store.AppendAsync("old-1", ExpectedVersion.Exact(3), [TestEvents.Deposit(1)], Ct)).StreamVersion);
    }

    private static void Exec(SqliteConnection conn, SqliteTransaction tx, string sql)
    {
        using var command = conn.CreateCommand();
        command.Transaction = tx;
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }
}
