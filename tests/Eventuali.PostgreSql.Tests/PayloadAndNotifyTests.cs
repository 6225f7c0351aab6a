using System.Text.Json.Nodes;

namespace Eventuali.PostgreSql.Tests;

public sealed class PayloadAndNotifyTests : IAsyncLifetime
{
    private readonly PostgreSqlStoreFixture _stores = new();

    public ValueTask InitializeAsync() => ValueTask.CompletedTask;

    public ValueTask DisposeAsync() => _stores.DisposeAsync();

    [Fact]
    public async Task Json_is_queryable_from_sql_and_binary_round_trips_byte_for_byte()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var store = await _stores.CreateStoreAsync(purpose: "payload");
        var bytes = new byte[4096];
        new Random(7).NextBytes(bytes);
        bytes[0] = 0;
        var headers = new Dictionary<string, string> { ["tenant"] = "acme", ["trace"] = "é\"x" };
        var meta = new EventMetadata("corr-1", "cause-1", "actor-1", headers);
        await store.AppendAsync("p-1", ExpectedVersion.NoStream,
        [
            EventData.Json("Placed", "{\"field\":\"hello\",\"amount\":12.5,\"nested\":{\"a\":[1,2]}}", meta),
            new EventData(Guid.NewGuid(), "Blob", bytes, contentType: ContentTypes.Binary),
        ], ct);

        await using (var raw = await PgTestServer.RawAsync())
        {
            await using var cmd = raw.CreateCommand($"SELECT data_json->>'field', (data_json->'nested'->'a'->>1)::int, headers->>'tenant' FROM \"{store.Schema}\".events WHERE event_type = 'Placed'");
            await using var r = await cmd.ExecuteReaderAsync(ct);
            Assert.True(await r.ReadAsync(ct));
            Assert.Equal("hello", r.GetString(0));
            Assert.Equal(2, r.GetInt32(1));
            Assert.Equal("acme", r.GetString(2));
        }

        var events = await store.ReadStreamAsync("p-1", cancellationToken: ct).ToListAsync(ct);
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse("{\"field\":\"hello\",\"amount\":12.5,\"nested\":{\"a\":[1,2]}}"), JsonNode.Parse(events[0].Data.Span)));
        Assert.True(meta.ContentEquals(events[0].Metadata));
        Assert.Equal(ContentTypes.Json, events[0].ContentType);
        Assert.Equal(bytes, events[1].Data.ToArray());
        Assert.Equal(ContentTypes.Binary, events[1].ContentType);
        Assert.Same(EventMetadata.Empty, events[1].Metadata);
    }

    [Fact]
    public async Task Filters_by_event_type_and_category_are_applied()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var store = await _stores.CreateStoreAsync(purpose: "filter");
        AppendResult last = default;
        foreach (var (stream, type) in new[] { ("order-1", "Placed"), ("order-2", "Shipped"), ("orderx-1", "Placed"), ("account-1", "Opened"), ("order-1", "Shipped") })
        {
            last = await store.AppendAsync(stream, ExpectedVersion.Any, [TestEvents.Json(type)], ct);
        }

        await TestEvents.WaitUntilReadableAsync(store, last.LastPosition);
        var placed = await store.ReadAllAsync(filter: EventFilter.ForEventTypes("Placed", "Opened"), cancellationToken: ct).Select(e => e.StreamId).ToListAsync(ct);
        Assert.Equal(["order-1", "orderx-1", "account-1"], placed);
        var orders = await store.ReadAllAsync(filter: EventFilter.ForCategory("order-"), cancellationToken: ct).Select(e => e.EventType).ToListAsync(ct);
        Assert.Equal(["Placed", "Shipped", "Shipped"], orders);
        var both = await store.ReadAllAsync(filter: new EventFilter { StreamIdPrefix = "order", EventTypes = ["Placed"] }, cancellationToken: ct).Select(e => e.StreamId).ToListAsync(ct);
        Assert.Equal(["order-1", "orderx-1"], both);
        var paged = await store.ReadAllAsync(maxCount: 3, cancellationToken: ct).ToListAsync(ct);
        Assert.Equal(3, paged.Count);
    }

    [Fact]
    public async Task A_listener_wakes_after_a_commit()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var store = await _stores.CreateStoreAsync(purpose: "notify");
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(TimeSpan.FromSeconds(60));
        await using var signals = store.ListenForAppendsAsync(timeout.Token).GetAsyncEnumerator(timeout.Token);
        Assert.True(await signals.MoveNextAsync());
        Assert.Equal(0, signals.Current); // listening has started

        var next = signals.MoveNextAsync().AsTask();
        await Task.Delay(50, ct);
        Assert.False(next.IsCompleted);
        var r = await store.AppendAsync("n-1", ExpectedVersion.NoStream, [TestEvents.Json()], ct);
        Assert.True(await next);
        Assert.Equal(r.LastPosition, signals.Current);
    }
}
