using Eventuali.Subscriptions;
using Microsoft.Data.Sqlite;

namespace Eventuali.Sqlite.Tests;

/// <summary>A file made before checkpoints existed (schema version 1) is upgraded on open, its events untouched.</summary>
public sealed class CheckpointMigrationTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_version_1_file_gains_the_checkpoints_table_on_open()
    {
        await using var temp = new TempSqliteStore();
        var store = await temp.OpenAsync();
        var written = await store.AppendAsync("s", ExpectedVersion.NoStream, [EventData.Json("t", "{}")], Ct);
        await store.DisposeAsync();
        await using (var raw = new SqliteConnection($"Data Source={temp.FilePath};Pooling=false"))
        {
            await raw.OpenAsync(Ct);
            await using var command = raw.CreateCommand();
            command.CommandText = "DROP TABLE checkpoints; UPDATE eventuali_meta SET value = '1' WHERE key = 'schema_version';";
            await command.ExecuteNonQueryAsync(Ct);
        }

        var reopened = await temp.OpenAsync();
        var checkpoints = reopened.GetCheckpointStore();
        Assert.Null(await checkpoints.LoadCheckpointAsync("p", Ct));
        await checkpoints.SaveCheckpointAsync("p", written.LastPosition, Ct);
        Assert.Equal(written.LastPosition, await checkpoints.LoadCheckpointAsync("p", Ct));
        Assert.Single(await reopened.ReadAllAsync(cancellationToken: Ct).ToListAsync(Ct));
    }
}
