namespace Eventuali.Conformance;

/// <summary>The global log: positions, reads from a position, counts, filters by type and category, head position.</summary>
public abstract class GlobalLogConformance<TFixture>(TFixture fixture) : ConformanceBase<TFixture>(fixture), IClassFixture<TFixture>
    where TFixture : class, IStoreFixture
{
    private static async Task<List<EventData>> FillAsync(IEventStore store)
    {
        var written = new List<EventData>();
        async Task Add(string stream, ExpectedVersion expected, params EventData[] events)
        {
            await store.AppendEventsAsync(stream, expected, events);
            written.AddRange(events);
        }

        await Add("account-1", ExpectedVersion.NoStream, TestData.Json("opened"), TestData.Json("deposited"));
        await Add("order-1", ExpectedVersion.NoStream, TestData.Json("placed"));
        await Add("account-2", ExpectedVersion.NoStream, TestData.Json("opened"));
        await Add("account-1", ExpectedVersion.Exact(2), TestData.Json("withdrawn"), TestData.Json("deposited"));
        await Add("accounting-1", ExpectedVersion.NoStream, TestData.Json("deposited"));
        await Add("order-1", ExpectedVersion.Exact(1), TestData.Json("shipped"));
        return written;
    }

    [Fact]
    public async Task Empty_store_has_head_0_and_an_empty_log()
    {
        await using var store = await NewStoreAsync();
        Assert.Equal(0, await store.GetHeadPositionAsync(Ct));
        Assert.Empty(await store.ReadAllListAsync());
        Assert.Empty(await store.ReadAllListAsync(0));
    }

    [Fact]
    public async Task Log_holds_every_event_in_append_order_with_increasing_positions()
    {
        await using var store = await NewStoreAsync();
        var written = await FillAsync(store);
        var all = await store.ReadAllListAsync();
        Assert.Equal(written.Count, all.Count);
        for (var i = 0; i < all.Count; i++)
        {
            TestData.AssertSameEvent(written[i], all[i]);
        }

        TestData.AssertStrictlyIncreasing(all);
        Assert.True(all[0].Position >= 1);
        Assert.Equal(all[^1].Position, await store.GetHeadPositionAsync(Ct));
    }

    [Fact]
    public async Task Positions_agree_between_stream_reads_log_reads_and_append_results()
    {
        await using var store = await NewStoreAsync();
        var r1 = await store.AppendEventsAsync("a", ExpectedVersion.NoStream, TestData.Many(2));
        var r2 = await store.AppendEventsAsync("b", ExpectedVersion.NoStream, TestData.Many(3));
        Assert.True(r2.LastPosition > r1.LastPosition);
        Assert.Equal(r2.LastPosition, await store.GetHeadPositionAsync(Ct));
        var all = await store.ReadAllListAsync();
        Assert.Equal(r1.LastPosition, all[1].Position);
        Assert.Equal(r2.LastPosition, all[4].Position);
        var b = await store.ReadStreamListAsync("b");
        Assert.Equal(all.Skip(2).Select(e => (e.EventId, e.Position)), b.Select(e => (e.EventId, e.Position)));
    }

    [Fact]
    public async Task Read_from_a_position_is_inclusive()
    {
        await using var store = await NewStoreAsync();
        await FillAsync(store);
        var all = await store.ReadAllListAsync();
        var from = all[3].Position;
        Assert.Equal(all.Skip(3).Select(e => e.EventId), (await store.ReadAllListAsync(from)).Select(e => e.EventId));
        Assert.Equal(all.Skip(4).Select(e => e.EventId), (await store.ReadAllListAsync(from + 1)).Select(e => e.EventId));
        Assert.Empty(await store.ReadAllListAsync(all[^1].Position + 1));
    }

    [Fact]
    public async Task Read_honours_max_count()
    {
        await using var store = await NewStoreAsync();
        await FillAsync(store);
        var all = await store.ReadAllListAsync();
        Assert.Equal(all.Take(3).Select(e => e.EventId), (await store.ReadAllListAsync(1, 3)).Select(e => e.EventId));
        Assert.Equal(all.Skip(2).Take(2).Select(e => e.EventId), (await store.ReadAllListAsync(all[2].Position, 2)).Select(e => e.EventId));
        Assert.Empty(await store.ReadAllListAsync(1, 0));
    }

    [Fact]
    public async Task Filter_by_event_types()
    {
        await using var store = await NewStoreAsync();
        var written = await FillAsync(store);
        var read = await store.ReadAllListAsync(filter: EventFilter.ForEventTypes("deposited", "shipped"));
        Assert.Equal(written.Where(e => e.EventType is "deposited" or "shipped").Select(e => e.EventId), read.Select(e => e.EventId));
        Assert.Empty(await store.ReadAllListAsync(filter: EventFilter.ForEventTypes("Deposited")));
    }

    [Fact]
    public async Task Filter_by_category_is_a_plain_prefix()
    {
        await using var store = await NewStoreAsync();
        await FillAsync(store);
        var read = await store.ReadAllListAsync(filter: EventFilter.ForCategory("account-"));
        Assert.Equal(["account-1", "account-1", "account-2", "account-1", "account-1"], read.Select(e => e.StreamId));
        var wider = await store.ReadAllListAsync(filter: EventFilter.ForCategory("account"));
        Assert.Equal(6, wider.Count);
        Assert.Empty(await store.ReadAllListAsync(filter: EventFilter.ForCategory("Account-")));
    }

    [Fact]
    public async Task Filter_by_event_type_and_category_needs_both()
    {
        await using var store = await NewStoreAsync();
        await FillAsync(store);
        var filter = new EventFilter { EventTypes = ["deposited"], StreamIdPrefix = "account-" };
        var read = await store.ReadAllListAsync(filter: filter);
        Assert.Equal(2, read.Count);
        Assert.All(read, e => Assert.Equal(("account-1", "deposited"), (e.StreamId, e.EventType)));
    }

    [Fact]
    public async Task Filtered_read_from_a_position_with_max_count()
    {
        await using var store = await NewStoreAsync();
        await FillAsync(store);
        var deposits = await store.ReadAllListAsync(filter: EventFilter.ForEventTypes("deposited"));
        Assert.Equal(3, deposits.Count);
        var rest = await store.ReadAllListAsync(deposits[0].Position + 1, 1, EventFilter.ForEventTypes("deposited"));
        Assert.Equal(deposits[1].EventId, Assert.Single(rest).EventId);
    }

    [Fact]
    public async Task Filter_with_an_empty_type_list_matches_everything()
    {
        await using var store = await NewStoreAsync();
        var written = await FillAsync(store);
        Assert.Equal(written.Count, (await store.ReadAllListAsync(filter: new EventFilter { EventTypes = [] })).Count);
        Assert.Equal(written.Count, (await store.ReadAllListAsync(filter: new EventFilter())).Count);
    }

    [Fact]
    public async Task Filtered_read_finds_rare_events_across_many_pages()
    {
        await using var store = await NewStoreAsync(new EventStoreOptions { ReadPageSize = 5 });
        for (var i = 0; i < 12; i++)
        {
            await store.AppendEventsAsync("noise", ExpectedVersion.Any, TestData.Many(10, "noise"));
            await store.AppendEventsAsync("rare-" + i, ExpectedVersion.NoStream, TestData.Json("rare"));
        }

        var rare = await store.ReadAllListAsync(filter: EventFilter.ForEventTypes("rare"));
        Assert.Equal(Enumerable.Range(0, 12).Select(i => "rare-" + i), rare.Select(e => e.StreamId));
        var cat = await store.ReadAllListAsync(filter: EventFilter.ForCategory("rare-1"));
        Assert.Equal(["rare-1", "rare-10", "rare-11"], cat.Select(e => e.StreamId));
    }

    [Fact]
    public async Task Head_position_follows_appends_and_not_refused_ones()
    {
        await using var store = await NewStoreAsync();
        var r = await store.AppendEventsAsync("s-1", ExpectedVersion.NoStream, TestData.Many(3));
        Assert.Equal(r.LastPosition, await store.GetHeadPositionAsync(Ct));
        await Assert.ThrowsAsync<ConcurrencyException>(() => store.AppendEventsAsync("s-1", ExpectedVersion.NoStream, TestData.Json()));
        Assert.Equal(r.LastPosition, await store.GetHeadPositionAsync(Ct));
        var r2 = await store.AppendEventsAsync("s-2", ExpectedVersion.NoStream, TestData.Json());
        Assert.True(r2.LastPosition > r.LastPosition);
        Assert.Equal(r2.LastPosition, await store.GetHeadPositionAsync(Ct));
    }

    [Fact]
    public async Task Positions_of_a_fresh_store_are_contiguous_from_1()
    {
        if (!Fixture.PositionsAreContiguous)
        {
            Assert.Skip($"{Fixture.BackendName} positions may have holes (not contiguous by contract)");
        }

        await using var store = await NewStoreAsync();
        await FillAsync(store);
        await Assert.ThrowsAsync<ConcurrencyException>(() => store.AppendEventsAsync("order-1", ExpectedVersion.NoStream, TestData.Json()));
        await store.AppendEventsAsync("order-1", ExpectedVersion.Any, TestData.Json());
        var all = await store.ReadAllListAsync();
        Assert.Equal(Enumerable.Range(1, all.Count).Select(i => (long)i), all.Select(e => e.Position));
    }
}
