using Eventuali.Projections;
using static Eventuali.Conformance.ProjectionTestData;

namespace Eventuali.Conformance;

/// <summary>Inline projections: updated in the append's own transaction, never behind, rolled back with a failed append.</summary>
public abstract class InlineProjectionConformance<TFixture>(TFixture fixture) : ConformanceBase<TFixture>(fixture), IClassFixture<TFixture>
    where TFixture : class, IStoreFixture
{
    private async Task<IEventStore> StoreWithInlineAsync()
    {
        var store = await NewStoreAsync();
        await store.AppendEventsAsync("acct-0", ExpectedVersion.Any, Deposit(1000));
        await store.GetFeature<IInlineProjectionStore>()!.AddInlineProjectionAsync(new CountingProjection("inline"), Ct);
        return store;
    }

    [Fact]
    public async Task The_read_model_is_never_behind_an_append()
    {
        await using var store = await StoreWithInlineAsync();
        var projections = store.GetProjectionStore();
        for (var i = 1; i <= 20; i++)
        {
            var result = await store.AppendEventsAsync("acct-1", ExpectedVersion.Any, Deposit(i));
            var doc = await projections.GetProjectionDocumentAsync("inline", "acct-1", Ct);
            Assert.NotNull(doc);
            Assert.Equal((i, i * (i + 1) / 2), (await ReadModelAsync(store, "inline"))["acct-1"]);
            var status = await store.GetProjectionStatusAsync("inline", Ct);
            Assert.Equal(result.LastPosition, status!.Position);
            Assert.Equal("inline", status.Owner);
        }

        // Applies events appended after registration only; unrelated types write nothing.
        Assert.False((await ReadModelAsync(store, "inline")).ContainsKey("acct-0"));
        await store.AppendEventsAsync("acct-1", ExpectedVersion.Any, TestData.Json("unrelated"));
        Assert.Equal((20, 210), (await ReadModelAsync(store, "inline"))["acct-1"]);
    }

    [Fact]
    public async Task A_conflicting_append_changes_neither_the_log_nor_the_read_model()
    {
        await using var store = await StoreWithInlineAsync();
        await store.AppendEventsAsync("acct-1", ExpectedVersion.NoStream, Deposit(5));
        await Assert.ThrowsAsync<ConcurrencyException>(() => store.AppendEventsAsync("acct-1", ExpectedVersion.Exact(7), Deposit(6)));
        Assert.Equal((1, 5), (await ReadModelAsync(store, "inline"))["acct-1"]);
        Assert.Equal(1, await store.GetStreamVersionAsync("acct-1", Ct));
    }

    [Fact]
    public async Task A_failing_handler_rolls_the_whole_append_back()
    {
        await using var store = await StoreWithInlineAsync();
        await store.AppendEventsAsync("acct-1", ExpectedVersion.Any, Deposit(5));
        var head = await store.GetHeadPositionAsync(Ct);

        // The first event's handler has already written when the second one throws: both go.
        var error = await Assert.ThrowsAsync<InlineProjectionException>(() => store.AppendEventsAsync("acct-1", ExpectedVersion.Exact(1), Deposit(7), Deposit(1, poison: true)));
        Assert.Equal("inline", error.Projection);
        Assert.Equal(1, await store.GetStreamVersionAsync("acct-1", Ct));
        Assert.Equal(head, await store.GetHeadPositionAsync(Ct));
        Assert.Equal((1, 5), (await ReadModelAsync(store, "inline"))["acct-1"]);

        // The store goes on working.
        await store.AppendEventsAsync("acct-1", ExpectedVersion.Exact(1), Deposit(7));
        Assert.Equal((2, 12), (await ReadModelAsync(store, "inline"))["acct-1"]);
    }

    [Fact]
    public async Task Concurrent_appends_count_exactly_once_each_and_a_refused_one_not_at_all()
    {
        await using var store = await StoreWithInlineAsync();
        var refused = 0;
        var tasks = Enumerable.Range(0, 4).Select(w => Task.Run(async () =>
        {
            for (var i = 0; i < 25; i++)
            {
                try
                {
                    await store.AppendEventsAsync($"acct-{1 + (i % 3)}", ExpectedVersion.Any, Deposit(1, poison: w == 0 && i == 10));
                }
                catch (InlineProjectionException)
                {
                    Interlocked.Increment(ref refused);
                }
            }
        }, Ct));
        await Task.WhenAll(tasks);

        Assert.Equal(1, refused);
        var model = await ReadModelAsync(store, "inline");
        Assert.Equal(99, model.Values.Sum(v => v.Count));
        long stored = 0;
        foreach (var s in new[] { "acct-1", "acct-2", "acct-3" })
        {
            stored += await store.GetStreamVersionAsync(s, Ct) ?? 0;
            Assert.Equal(await store.GetStreamVersionAsync(s, Ct), model[s].Count);
        }

        Assert.Equal(99, stored);
    }
}
