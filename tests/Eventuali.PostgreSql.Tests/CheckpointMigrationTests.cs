using Eventuali.Subscriptions;

namespace Eventuali.PostgreSql.Tests;

/// <summary>A schema made before checkpoints existed (version 1) is upgraded on open, its events untouched.</summary>
public sealed class CheckpointMigrationTests : IAsyncLifetime
{
    private readonly PostgreSqlStoreFixture _stores = new();

    public ValueTask InitializeAsync() => ValueTask.CompletedTask;

    public ValueTask DisposeAsync() => _stores.DisposeAsync();

    [Fact]
    public async Task A_version_1_schema_gains_the_checkpoints_table_on_open()
    {
        var ct = TestContext.Current.CancellationToken;
        var url = await _stores.OpenUrlAsync("ckmig");
        var schema = url[(url.LastIndexOf('=') + 1)..];
        var store = await PostgreSqlEventStore.OpenAsync(url, EventStoreOptions.Default, ct);
        var written = await store.AppendAsync("s", ExpectedVersion.NoStream, [TestEvents.Json()], ct);
        await store.DisposeAsync();
        await using (var raw = await PgTestServer.RawAsync())
        {
            await using var cmd = raw.CreateCommand($"DROP TABLE \"{schema}\".checkpoints; UPDATE \"{schema}\".meta SET schema_version = 1");
            await cmd.ExecuteNonQueryAsync(ct);
        }

        await using var reopened = await PostgreSqlEventStore.OpenAsync(url, EventStoreOptions.Default, ct);
        var checkpoints = reopened.GetCheckpointStore();
        Assert.Null(await checkpoints.LoadCheckpointAsync("p", ct));
        await checkpoints.SaveCheckpointAsync("p", written.LastPosition, ct);
        Assert.Equal(written.LastPosition, await checkpoints.LoadCheckpointAsync("p", ct));
        await TestEvents.WaitUntilReadableAsync(reopened, written.LastPosition);
        Assert.Single(await reopened.ReadAllAsync(cancellationToken: ct).ToListAsync(ct));
    }
}
