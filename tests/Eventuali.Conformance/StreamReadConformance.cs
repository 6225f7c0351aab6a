namespace Eventuali.Conformance;

/// <summary>Reading one stream forward and backward, with a start version and a count; stream versions.</summary>
public abstract class StreamReadConformance<TFixture>(TFixture fixture) : ConformanceBase<TFixture>(fixture), IClassFixture<TFixture>
    where TFixture : class, IStoreFixture
{
    private async Task<IEventStore> StoreWithTenEventsAsync()
    {
        var store = await NewStoreAsync();
        await store.AppendEventsAsync("s-1", ExpectedVersion.NoStream, TestData.Many(4));
        await store.AppendEventsAsync("noise", ExpectedVersion.NoStream, TestData.Many(3));
        await store.AppendEventsAsync("s-1", ExpectedVersion.Exact(4), TestData.Many(6));
        return store;
    }

    [Fact]
    public async Task Forward_read_returns_the_whole_stream_in_order_with_its_data()
    {
        await using var store = await NewStoreAsync();
        var events = TestData.Many(4);
        await store.AppendEventsAsync("s-1", ExpectedVersion.NoStream, events[..2]);
        await store.AppendEventsAsync("s-2", ExpectedVersion.NoStream, TestData.Json());
        await store.AppendEventsAsync("s-1", ExpectedVersion.Exact(2), events[2..]);
        var read = await store.ReadStreamListAsync("s-1");
        Assert.Equal(4, read.Count);
        for (var i = 0; i < 4; i++)
        {
            TestData.AssertSameEvent(events[i], read[i]);
            Assert.Equal("s-1", read[i].StreamId);
            Assert.Equal(i + 1, read[i].StreamVersion);
        }

        TestData.AssertStrictlyIncreasing(read);
    }

    [Fact]
    public async Task Forward_read_from_a_version_is_inclusive()
    {
        await using var store = await StoreWithTenEventsAsync();
        Assert.Equal([4L, 5L, 6L, 7L, 8L, 9L, 10L], (await store.ReadStreamListAsync("s-1", 4)).Select(e => e.StreamVersion));
        Assert.Equal(10, (await store.ReadStreamListAsync("s-1", 0)).Count);
    }

    [Fact]
    public async Task Forward_read_honours_max_count()
    {
        await using var store = await StoreWithTenEventsAsync();
        Assert.Equal([3L, 4L, 5L], (await store.ReadStreamListAsync("s-1", 3, 3)).Select(e => e.StreamVersion));
        Assert.Empty(await store.ReadStreamListAsync("s-1", 1, 0));
    }

    [Fact]
    public async Task Forward_read_past_the_end_yields_nothing()
    {
        await using var store = await StoreWithTenEventsAsync();
        Assert.Empty(await store.ReadStreamListAsync("s-1", 11));
        Assert.Single(await store.ReadStreamListAsync("s-1", 10));
    }

    [Fact]
    public async Task Backward_read_from_End_returns_newest_first()
    {
        await using var store = await StoreWithTenEventsAsync();
        var read = await store.ReadStreamListAsync("s-1", StreamVersion.End, direction: ReadDirection.Backward);
        Assert.Equal(Enumerable.Range(1, 10).Reverse().Select(i => (long)i), read.Select(e => e.StreamVersion));
        for (var i = 1; i < read.Count; i++)
        {
            Assert.True(read[i].Position < read[i - 1].Position);
        }
    }

    [Fact]
    public async Task Backward_read_from_a_version_with_max_count()
    {
        await using var store = await StoreWithTenEventsAsync();
        Assert.Equal([6L, 5L, 4L], (await store.ReadStreamListAsync("s-1", 6, 3, ReadDirection.Backward)).Select(e => e.StreamVersion));
        Assert.Equal([2L, 1L], (await store.ReadStreamListAsync("s-1", 2, 10, ReadDirection.Backward)).Select(e => e.StreamVersion));
        Assert.Equal([10L], (await store.ReadStreamListAsync("s-1", StreamVersion.End, 1, ReadDirection.Backward)).Select(e => e.StreamVersion));
        Assert.Equal([10L, 9L], (await store.ReadStreamListAsync("s-1", 50, 2, ReadDirection.Backward)).Select(e => e.StreamVersion));
        Assert.Empty(await store.ReadStreamListAsync("s-1", 0, 5, ReadDirection.Backward));
        Assert.Empty(await store.ReadStreamListAsync("s-1", StreamVersion.End, 0, ReadDirection.Backward));
    }

    [Fact]
    public async Task Backward_and_forward_reads_return_the_same_events()
    {
        await using var store = await StoreWithTenEventsAsync();
        var forward = await store.ReadStreamListAsync("s-1");
        var backward = await store.ReadStreamListAsync("s-1", StreamVersion.End, direction: ReadDirection.Backward);
        Assert.Equal(forward.Select(e => (e.EventId, e.Position)), backward.AsEnumerable().Reverse().Select(e => (e.EventId, e.Position)));
    }

    [Fact]
    public async Task Unknown_stream_yields_nothing_both_ways()
    {
        await using var store = await StoreWithTenEventsAsync();
        Assert.Empty(await store.ReadStreamListAsync("missing"));
        Assert.Empty(await store.ReadStreamListAsync("missing", StreamVersion.End, direction: ReadDirection.Backward));
        Assert.Empty(await store.ReadStreamListAsync("s-"));
    }

    [Fact]
    public async Task Stream_ids_are_case_sensitive_and_exact()
    {
        await using var store = await NewStoreAsync();
        await store.AppendEventsAsync("Order-1", ExpectedVersion.NoStream, TestData.Json());
        await store.AppendEventsAsync("order-1", ExpectedVersion.NoStream, TestData.Many(2));
        await store.AppendEventsAsync("order-1 ", ExpectedVersion.NoStream, TestData.Many(3));
        Assert.Equal(1, await store.GetStreamVersionAsync("Order-1", Ct));
        Assert.Equal(2, await store.GetStreamVersionAsync("order-1", Ct));
        Assert.Equal(3, await store.GetStreamVersionAsync("order-1 ", Ct));
        Assert.Equal(2, (await store.ReadStreamListAsync("order-1")).Count);
    }

    [Fact]
    public async Task Stream_version_is_null_for_a_missing_stream_and_the_last_version_otherwise()
    {
        await using var store = await NewStoreAsync();
        Assert.Null(await store.GetStreamVersionAsync("s-1", Ct));
        await store.AppendEventsAsync("s-1", ExpectedVersion.NoStream, TestData.Many(3));
        Assert.Equal(3, await store.GetStreamVersionAsync("s-1", Ct));
        await store.AppendEventsAsync("s-1", ExpectedVersion.Exact(3), TestData.Json());
        Assert.Equal(4, await store.GetStreamVersionAsync("s-1", Ct));
        Assert.Null(await store.GetStreamVersionAsync("s-2", Ct));
    }

    [Fact]
    public async Task A_long_stream_reads_back_completely_across_pages()
    {
        // Small pages force backends that page to stitch pages together.
        await using var store = await NewStoreAsync(new EventStoreOptions { ReadPageSize = 7 });
        for (var i = 0; i < 10; i++)
        {
            await store.AppendEventsAsync("s-1", ExpectedVersion.Exact(i * 10), TestData.Many(10));
        }

        var forward = await store.ReadStreamListAsync("s-1");
        Assert.Equal(Enumerable.Range(1, 100).Select(i => (long)i), forward.Select(e => e.StreamVersion));
        var backward = await store.ReadStreamListAsync("s-1", 50, 30, ReadDirection.Backward);
        Assert.Equal(Enumerable.Range(21, 30).Reverse().Select(i => (long)i), backward.Select(e => e.StreamVersion));
        Assert.Equal(Enumerable.Range(1, 100).Select(i => (long)i), (await store.ReadAllListAsync()).Select(e => e.StreamVersion));
    }

    [Fact]
    public async Task A_reader_may_stop_early_and_the_store_stays_usable()
    {
        await using var store = await StoreWithTenEventsAsync();
        await foreach (var e in store.ReadStreamAsync("s-1", cancellationToken: Ct))
        {
            Assert.Equal(1, e.StreamVersion);
            break;
        }

        Assert.Equal(11, (await store.AppendEventsAsync("s-1", ExpectedVersion.Exact(10), TestData.Json())).StreamVersion);
    }

    [Fact]
    public async Task Cancelled_read_throws()
    {
        await using var store = await StoreWithTenEventsAsync();
        using var cts = new CancellationTokenSource();
        await cts.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () =>
        {
            await foreach (var e in store.ReadStreamAsync("s-1", cancellationToken: cts.Token))
            {
                Assert.Fail($"read version {e.StreamVersion} after cancellation");
            }
        });
    }
}
