using Npgsql;

namespace Eventuali.PostgreSql.Tests;

public sealed class SchemaTests : IAsyncLifetime
{
    private readonly PostgreSqlStoreFixture _stores = new();

    public ValueTask InitializeAsync() => ValueTask.CompletedTask;

    public ValueTask DisposeAsync() => _stores.DisposeAsync();

    [Fact]
    public async Task Several_nodes_create_the_same_schema_at_once()
    {
        var ct = TestContext.Current.CancellationToken;
        var url = await _stores.OpenUrlAsync("nodes");
        var nodes = await Task.WhenAll(Enumerable.Range(0, 6).Select(_ => Task.Run(async () => await PostgreSqlEventStore.OpenAsync(url, EventStoreOptions.Default, ct), ct)));
        try
        {
            var r = await nodes[0].AppendAsync("shared", ExpectedVersion.NoStream, [TestEvents.Json()], ct);
            Assert.Equal(1, await nodes[5].GetStreamVersionAsync("shared", ct));
            await TestEvents.WaitUntilReadableAsync(nodes[3], r.LastPosition);
        }
        finally
        {
            foreach (var n in nodes)
            {
                await n.DisposeAsync();
            }
        }
    }

    [Fact]
    public async Task Restored_positions_above_the_transaction_ids_raise_the_offset_on_open()
    {
        var ct = TestContext.Current.CancellationToken;
        var url = await _stores.OpenUrlAsync("offset");
        var schema = url[(url.LastIndexOf('=') + 1)..];
        await (await PostgreSqlEventStore.OpenAsync(url, EventStoreOptions.Default, ct)).DisposeAsync();

        // As after pg_dump into a cluster whose transaction ids are lower: a stored position far above them.
        long restored;
        await using (var raw = await PgTestServer.RawAsync())
        {
            await using var cmd = raw.CreateCommand(
                $"WITH s AS (INSERT INTO \"{schema}\".streams (name) VALUES ('restored') RETURNING id) " +
                $"INSERT INTO \"{schema}\".events (position, stream_id, version, event_id, event_type, content_type, data_json, \"timestamp\") " +
                "SELECT ((pg_current_xact_id()::text::bigint + 1000000) << 20) + 7, s.id, 1, gen_random_uuid(), 'old', 'application/json', '{}', now() FROM s RETURNING position");
            restored = (long)(await cmd.ExecuteScalarAsync(ct))!;
        }

        await using var store = await PostgreSqlEventStore.OpenStoreAsync(url, EventStoreOptions.Default, ct);
        var r = await store.AppendAsync("new", ExpectedVersion.NoStream, [TestEvents.Json()], ct);
        Assert.True(r.LastPosition > restored, $"new position {r.LastPosition} is not above restored {restored}");
        await TestEvents.WaitUntilReadableAsync(store, r.LastPosition);
        var all = await store.ReadAllAsync(cancellationToken: ct).Select(e => e.StreamId).ToListAsync(ct);
        Assert.Equal(["restored", "new"], all);
    }
}
