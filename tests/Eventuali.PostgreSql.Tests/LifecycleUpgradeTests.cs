using Eventuali.Lifecycle;

namespace Eventuali.PostgreSql.Tests;

/// <summary>A schema written before the lifecycle migration is upgraded on open; its events stay and its streams are live.</summary>
public sealed class LifecycleUpgradeTests : IAsyncLifetime
{
    private readonly PostgreSqlStoreFixture _stores = new();

    public ValueTask InitializeAsync() => ValueTask.CompletedTask;

    public ValueTask DisposeAsync() => _stores.DisposeAsync();

    [Fact]
    public async Task A_schema_version_1_is_upgraded_and_its_streams_stay_live()
    {
        var ct = TestContext.Current.CancellationToken;
        var url = await _stores.OpenUrlAsync("lcupgrade");
        var schema = url[(url.LastIndexOf('=') + 1)..];
        await using (var raw = await PgTestServer.RawAsync())
        {
            await using var create = raw.CreateCommand(PgMigrations.Fill(PgMigrations.Catalog.Find(1)!.Text, PgSettings.Parse(url, EventStoreOptions.Default)));
            await create.ExecuteNonQueryAsync(ct);
            await using var fill = raw.CreateCommand(
                $"INSERT INTO \"{schema}\".meta (singleton, schema_version) VALUES (true, 1); " +
                $"WITH s AS (INSERT INTO \"{schema}\".streams (name) VALUES ('old-1') RETURNING id) " +
                $"INSERT INTO \"{schema}\".events (position, stream_id, version, event_id, event_type, content_type, data_json, \"timestamp\") " +
                "SELECT (pg_current_xact_id()::text::bigint << 20) + v, s.id, v, gen_random_uuid(), 'old', 'application/json', '{}', now() FROM s, generate_series(1, 3) v");
            await fill.ExecuteNonQueryAsync(ct);
        }

        await using var store = await PostgreSqlEventStore.OpenStoreAsync(url, EventStoreOptions.Default with { ApplyMigrationsOnOpen = true }, ct);
        Assert.Equal(3, await store.GetStreamVersionAsync("old-1", ct));
        Assert.Equal(new StreamInfo("old-1", StreamStatus.Live, 3, 1), await store.GetStreamInfoAsync("old-1", ct));
        Assert.Equal(1, await store.TruncateStreamAsync("old-1", 2, ct));
        Assert.True(await store.DeleteStreamAsync("old-1", DeleteMode.Soft, ct));
        await Assert.ThrowsAsync<StreamDeletedException>(() => store.AppendAsync("old-1", ExpectedVersion.Any, [TestEvents.Json()], ct).AsTask());
        Assert.True(await store.RestoreStreamAsync("old-1", ct));
        Assert.Equal(4, (await store.AppendAsync("old-1", ExpectedVersion.Exact(3), [TestEvents.Json()], ct)).StreamVersion);
    }
}
