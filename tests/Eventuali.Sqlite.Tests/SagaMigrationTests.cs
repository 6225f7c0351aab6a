using Eventuali.Sagas;
using Microsoft.Data.Sqlite;

namespace Eventuali.Sqlite.Tests;

/// <summary>A file made before saga storage existed is upgraded on open, its events untouched.</summary>
public sealed class SagaMigrationTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_file_without_saga_tables_gains_them_on_open()
    {
        await using var temp = new TempSqliteStore();
        var store = await temp.OpenAsync();
        await store.AppendAsync("s", ExpectedVersion.NoStream, [EventData.Json("t", "{}")], Ct);
        await store.DisposeAsync();
        await using (var raw = new SqliteConnection($"Data Source={temp.FilePath};Pooling=false"))
        {
            await raw.OpenAsync(Ct);
            await using var command = raw.CreateCommand();
            command.CommandText = "DROP TABLE saga_states; DROP TABLE saga_timeouts; UPDATE eventuali_meta SET value = '3' WHERE key = 'schema_version';";
            await command.ExecuteNonQueryAsync(Ct);
        }

        await using var reopened = await temp.OpenAsync();
        var sagas = reopened.GetSagaStore();
        Assert.Null(await sagas.LoadSagaAsync("s", "1", Ct));
        Assert.Equal(1, await sagas.SaveSagaAsync(new SagaWrite("s", "1", 0, "{}", 0, false, null), Ct));
        Assert.Single(await reopened.ReadAllAsync(cancellationToken: Ct).ToListAsync(Ct));
    }
}
