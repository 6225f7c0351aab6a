using Eventuali.Sagas;

namespace Eventuali.PostgreSql.Tests;

/// <summary>A schema made before saga storage existed is upgraded on open, its events untouched.</summary>
public sealed class SagaMigrationTests : IAsyncLifetime
{
    private readonly PostgreSqlStoreFixture _stores = new();

    public ValueTask InitializeAsync() => ValueTask.CompletedTask;

    public ValueTask DisposeAsync() => _stores.DisposeAsync();

    [Fact]
    public async Task A_schema_without_saga_tables_gains_them_on_open()
    {
        var ct = TestContext.Current.CancellationToken;
        var url = await _stores.OpenUrlAsync("sagamig");
        var schema = url[(url.LastIndexOf('=') + 1)..];
        var store = await PostgreSqlEventStore.OpenAsync(url, EventStoreOptions.Default, ct);
        var written = await store.AppendAsync("s", ExpectedVersion.NoStream, [TestEvents.Json()], ct);
        await store.DisposeAsync();
        await using (var raw = await PgTestServer.RawAsync())
        {
            await using var cmd = raw.CreateCommand($"DROP TABLE \"{schema}\".saga_states; DROP TABLE \"{schema}\".saga_timeouts; UPDATE \"{schema}\".meta SET schema_version = 3");
            await cmd.ExecuteNonQueryAsync(ct);
        }

        await using var reopened = await PostgreSqlEventStore.OpenAsync(url, EventStoreOptions.Default, ct);
        var sagas = reopened.GetSagaStore();
        Assert.Null(await sagas.LoadSagaAsync("s", "1", ct));
        Assert.Equal(1, await sagas.SaveSagaAsync(new SagaWrite("s", "1", 0, "{}", 0, false, null), ct));
        await TestEvents.WaitUntilReadableAsync(reopened, written.LastPosition);
        Assert.Single(await reopened.ReadAllAsync(cancellationToken: ct).ToListAsync(ct));
    }
}
