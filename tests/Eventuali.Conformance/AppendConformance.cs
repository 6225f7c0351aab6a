namespace Eventuali.Conformance;

/// <summary>Expected-version rules, atomic multi-event appends and cancellation. Each success has a "stale write refused" twin.</summary>
public abstract class AppendConformance<TFixture>(TFixture fixture) : ConformanceBase<TFixture>(fixture), IClassFixture<TFixture>
    where TFixture : class, IStoreFixture
{
    [Fact]
    public async Task Any_creates_a_new_stream_at_version_1()
    {
        await using var store = await NewStoreAsync();
        var r = await store.AppendEventsAsync("s-1", ExpectedVersion.Any, TestData.Json());
        Assert.Equal(1, r.StreamVersion);
        Assert.Equal(1, await store.GetStreamVersionAsync("s-1", Ct));
    }

    [Fact]
    public async Task Any_appends_to_an_existing_stream()
    {
        await using var store = await NewStoreAsync();
        await store.AppendEventsAsync("s-1", ExpectedVersion.Any, TestData.Many(2));
        var r = await store.AppendEventsAsync("s-1", ExpectedVersion.Any, TestData.Json());
        Assert.Equal(3, r.StreamVersion);
        Assert.Equal([1L, 2L, 3L], (await store.ReadStreamListAsync("s-1")).Select(e => e.StreamVersion));
    }

    [Fact]
    public async Task NoStream_creates_a_new_stream()
    {
        await using var store = await NewStoreAsync();
        var r = await store.AppendEventsAsync("s-1", ExpectedVersion.NoStream, TestData.Json());
        Assert.Equal(1, r.StreamVersion);
    }

    [Fact]
    public async Task NoStream_on_an_existing_stream_is_refused_and_writes_nothing()
    {
        await using var store = await NewStoreAsync();
        var first = TestData.Json();
        await store.AppendEventsAsync("s-1", ExpectedVersion.NoStream, first);
        var head = await store.GetHeadPositionAsync(Ct);

        var ex = await Assert.ThrowsAsync<ConcurrencyException>(() => store.AppendEventsAsync("s-1", ExpectedVersion.NoStream, TestData.Json()));
        Assert.Equal("s-1", ex.StreamId);
        Assert.Equal(ExpectedVersion.NoStream, ex.ExpectedVersion);
        Assert.Equal(1, ex.ActualVersion);
        await AssertUnchangedAsync(store, "s-1", [first], head);
    }

    [Fact]
    public async Task StreamExists_on_a_missing_stream_is_refused_with_no_actual_version()
    {
        await using var store = await NewStoreAsync();
        var ex = await Assert.ThrowsAsync<ConcurrencyException>(() => store.AppendEventsAsync("s-1", ExpectedVersion.StreamExists, TestData.Json()));
        Assert.Equal("s-1", ex.StreamId);
        Assert.Equal(ExpectedVersion.StreamExists, ex.ExpectedVersion);
        Assert.Null(ex.ActualVersion);
        Assert.Null(await store.GetStreamVersionAsync("s-1", Ct));
        Assert.Empty(await store.ReadStreamListAsync("s-1"));
        Assert.Equal(0, await store.GetHeadPositionAsync(Ct));
    }

    [Fact]
    public async Task StreamExists_on_an_existing_stream_appends()
    {
        await using var store = await NewStoreAsync();
        await store.AppendEventsAsync("s-1", ExpectedVersion.NoStream, TestData.Json());
        var r = await store.AppendEventsAsync("s-1", ExpectedVersion.StreamExists, TestData.Many(2));
        Assert.Equal(3, r.StreamVersion);
    }

    [Fact]
    public async Task Exact_current_version_appends()
    {
        await using var store = await NewStoreAsync();
        await store.AppendEventsAsync("s-1", ExpectedVersion.NoStream, TestData.Many(3));
        var r = await store.AppendEventsAsync("s-1", ExpectedVersion.Exact(3), TestData.Json());
        Assert.Equal(4, r.StreamVersion);
        Assert.Equal(4, await store.GetStreamVersionAsync("s-1", Ct));
    }

    [Fact]
    public async Task Exact_zero_is_NoStream()
    {
        await using var store = await NewStoreAsync();
        Assert.Equal(1, (await store.AppendEventsAsync("s-1", ExpectedVersion.Exact(0), TestData.Json())).StreamVersion);
        var ex = await Assert.ThrowsAsync<ConcurrencyException>(() => store.AppendEventsAsync("s-1", ExpectedVersion.Exact(0), TestData.Json()));
        Assert.Equal(1, ex.ActualVersion);
    }

    [Fact]
    public async Task Exact_stale_version_is_refused_and_writes_nothing()
    {
        await using var store = await NewStoreAsync();
        var written = TestData.Many(3);
        await store.AppendEventsAsync("s-1", ExpectedVersion.NoStream, written);
        var head = await store.GetHeadPositionAsync(Ct);

        var ex = await Assert.ThrowsAsync<ConcurrencyException>(() => store.AppendEventsAsync("s-1", ExpectedVersion.Exact(2), TestData.Many(2)));
        Assert.Equal("s-1", ex.StreamId);
        Assert.Equal(ExpectedVersion.Exact(2), ex.ExpectedVersion);
        Assert.Equal(3, ex.ActualVersion);
        await AssertUnchangedAsync(store, "s-1", written, head);
    }

    [Fact]
    public async Task Exact_future_version_is_refused_and_writes_nothing()
    {
        await using var store = await NewStoreAsync();
        var written = TestData.Many(2);
        await store.AppendEventsAsync("s-1", ExpectedVersion.NoStream, written);
        var head = await store.GetHeadPositionAsync(Ct);

        var ex = await Assert.ThrowsAsync<ConcurrencyException>(() => store.AppendEventsAsync("s-1", ExpectedVersion.Exact(5), TestData.Json()));
        Assert.Equal(ExpectedVersion.Exact(5), ex.ExpectedVersion);
        Assert.Equal(2, ex.ActualVersion);
        await AssertUnchangedAsync(store, "s-1", written, head);
    }

    [Fact]
    public async Task Exact_on_a_missing_stream_is_refused_with_no_actual_version()
    {
        await using var store = await NewStoreAsync();
        var ex = await Assert.ThrowsAsync<ConcurrencyException>(() => store.AppendEventsAsync("s-1", ExpectedVersion.Exact(1), TestData.Json()));
        Assert.Null(ex.ActualVersion);
        Assert.Null(await store.GetStreamVersionAsync("s-1", Ct));
        Assert.Equal(0, await store.GetHeadPositionAsync(Ct));
    }

    [Fact]
    public async Task Multi_event_append_gets_consecutive_versions_and_increasing_positions()
    {
        await using var store = await NewStoreAsync();
        var events = TestData.Many(5);
        var r = await store.AppendEventsAsync("s-1", ExpectedVersion.NoStream, events);
        var read = await store.ReadStreamListAsync("s-1");
        Assert.Equal([1L, 2L, 3L, 4L, 5L], read.Select(e => e.StreamVersion));
        TestData.AssertStrictlyIncreasing(read);
        Assert.Equal(5, r.StreamVersion);
        Assert.Equal(read[^1].Position, r.LastPosition);
        for (var i = 0; i < events.Length; i++)
        {
            TestData.AssertSameEvent(events[i], read[i]);
        }
    }

    [Fact]
    public async Task Refused_multi_event_append_writes_none_of_its_events()
    {
        await using var store = await NewStoreAsync();
        var written = TestData.Many(2);
        await store.AppendEventsAsync("s-1", ExpectedVersion.NoStream, written);
        var head = await store.GetHeadPositionAsync(Ct);

        await Assert.ThrowsAsync<ConcurrencyException>(() => store.AppendEventsAsync("s-1", ExpectedVersion.Exact(1), TestData.Many(10)));
        await AssertUnchangedAsync(store, "s-1", written, head);
    }

    [Fact]
    public async Task Multi_event_append_with_an_id_stored_in_another_stream_writes_none_of_its_events()
    {
        await using var store = await NewStoreAsync();
        var other = TestData.Json();
        await store.AppendEventsAsync("other", ExpectedVersion.NoStream, other);
        var head = await store.GetHeadPositionAsync(Ct);

        // The collision is the third of four events: the first two must not survive.
        var batch = new[] { TestData.Json(), TestData.Json(), new EventData(other.EventId, "test-event", "{}"u8.ToArray()), TestData.Json() };
        var ex = await Assert.ThrowsAsync<DuplicateEventIdException>(() => store.AppendEventsAsync("s-1", ExpectedVersion.NoStream, batch));
        Assert.Equal(other.EventId, ex.EventId);
        Assert.Equal("s-1", ex.StreamId);
        await AssertUnchangedAsync(store, "s-1", [], head);
        Assert.Single(await store.ReadAllListAsync());
    }

    [Fact]
    public async Task An_append_after_a_refusal_lands_at_the_next_version()
    {
        await using var store = await NewStoreAsync();
        await store.AppendEventsAsync("s-1", ExpectedVersion.NoStream, TestData.Json());
        await Assert.ThrowsAsync<ConcurrencyException>(() => store.AppendEventsAsync("s-1", ExpectedVersion.NoStream, TestData.Many(3)));
        var r = await store.AppendEventsAsync("s-1", ExpectedVersion.Exact(1), TestData.Json());
        Assert.Equal(2, r.StreamVersion);
        Assert.Equal([1L, 2L], (await store.ReadStreamListAsync("s-1")).Select(e => e.StreamVersion));
    }

    [Fact]
    public async Task Streams_have_independent_versions()
    {
        await using var store = await NewStoreAsync();
        await store.AppendEventsAsync("a-1", ExpectedVersion.NoStream, TestData.Many(3));
        var r = await store.AppendEventsAsync("a-2", ExpectedVersion.NoStream, TestData.Json());
        Assert.Equal(1, r.StreamVersion);
        Assert.Equal(3, await store.GetStreamVersionAsync("a-1", Ct));
        await Assert.ThrowsAsync<ConcurrencyException>(() => store.AppendEventsAsync("a-2", ExpectedVersion.Exact(3), TestData.Json()));
    }

    [Fact]
    public async Task Cancelled_token_before_append_throws_and_writes_nothing()
    {
        await using var store = await NewStoreAsync();
        using var cts = new CancellationTokenSource();
        await cts.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await store.AppendAsync("s-1", ExpectedVersion.Any, [TestData.Json()], cts.Token));
        Assert.Null(await store.GetStreamVersionAsync("s-1", Ct));
        Assert.Equal(0, await store.GetHeadPositionAsync(Ct));
    }

    [Fact]
    public async Task Cancelled_token_on_an_existing_stream_writes_nothing_and_the_stream_stays_writable()
    {
        await using var store = await NewStoreAsync();
        var written = TestData.Many(2);
        await store.AppendEventsAsync("s-1", ExpectedVersion.NoStream, written);
        var head = await store.GetHeadPositionAsync(Ct);
        using var cts = new CancellationTokenSource();
        await cts.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await store.AppendAsync("s-1", ExpectedVersion.Exact(2), TestData.Many(2), cts.Token));
        await AssertUnchangedAsync(store, "s-1", written, head);
        Assert.Equal(3, (await store.AppendEventsAsync("s-1", ExpectedVersion.Exact(2), TestData.Json())).StreamVersion);
    }

    private static async Task AssertUnchangedAsync(IEventStore store, string streamId, EventData[] expected, long head)
    {
        var read = await store.ReadStreamListAsync(streamId);
        Assert.Equal(expected.Select(e => e.EventId), read.Select(e => e.EventId));
        Assert.Equal(expected.Length == 0 ? null : (long?)expected.Length, await store.GetStreamVersionAsync(streamId, Ct));
        Assert.Equal(head, await store.GetHeadPositionAsync(Ct));
        var all = await store.ReadAllListAsync();
        Assert.Equal(head, all.Count == 0 ? 0 : all[^1].Position);
    }
}
