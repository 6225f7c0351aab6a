namespace Eventuali.PostgreSql.Tests;

public sealed class SmokeTests : IAsyncLifetime
{
    private readonly PostgreSqlStoreFixture _stores = new();

    public ValueTask InitializeAsync() => ValueTask.CompletedTask;

    public ValueTask DisposeAsync() => _stores.DisposeAsync();

    [Fact]
    public async Task Appends_and_reads_back()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var store = await _stores.CreateStoreAsync(purpose: "smoke");
        var r1 = await store.AppendAsync("s-1", ExpectedVersion.NoStream, [EventData.Json("a", "{\"x\":1}"), EventData.Json("b", "{\"x\":2}")], ct);
        Assert.Equal(2, r1.StreamVersion);
        var r2 = await store.AppendAsync("s-1", ExpectedVersion.Exact(2), [EventData.Json("c", "{\"x\":3}")], ct);
        Assert.Equal(3, r2.StreamVersion);
        Assert.True(r2.LastPosition > r1.LastPosition);
        var events = await store.ReadStreamAsync("s-1", cancellationToken: ct).ToListAsync(ct);
        Assert.Equal(["a", "b", "c"], events.Select(e => e.EventType));
        await TestEvents.WaitUntilReadableAsync(store, r2.LastPosition);
        var all = await store.ReadAllAsync(cancellationToken: ct).ToListAsync(ct);
        Assert.Equal(3, all.Count);
        Assert.True(await store.GetHeadPositionAsync(ct) >= r2.LastPosition);
        Assert.Equal(3, await store.GetStreamVersionAsync("s-1", ct));
        var back = await store.ReadStreamAsync("s-1", StreamVersion.End, direction: ReadDirection.Backward, cancellationToken: ct).ToListAsync(ct);
        Assert.Equal([3L, 2L, 1L], back.Select(e => e.StreamVersion));
    }

    [Fact]
    public async Task Cancelled_appends_write_nothing_and_others_proceed()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var store = await _stores.CreateStoreAsync(purpose: "cancel");
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await store.AppendAsync("c-1", ExpectedVersion.Any, [TestEvents.Json()], cancelled.Token));
        Assert.Null(await store.GetStreamVersionAsync("c-1", ct));
        var r = await store.AppendAsync("c-2", ExpectedVersion.NoStream, [TestEvents.Json()], ct);
        Assert.Equal(1, r.StreamVersion);
        Assert.Empty(await store.ReadStreamAsync("c-2", maxCount: 0, cancellationToken: ct).ToListAsync(ct));
        Assert.Empty(await store.ReadStreamAsync("missing", cancellationToken: ct).ToListAsync(ct));
    }
}
