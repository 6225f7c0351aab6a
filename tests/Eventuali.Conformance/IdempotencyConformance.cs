namespace Eventuali.Conformance;

/// <summary>
/// Retrying an append whose reply was lost: the same ids in the same stream at the same place return the
/// original result and write nothing; any other reuse of a stored id is refused and writes nothing.
/// </summary>
public abstract class IdempotencyConformance<TFixture>(TFixture fixture) : ConformanceBase<TFixture>(fixture), IClassFixture<TFixture>
    where TFixture : class, IStoreFixture
{
    [Fact]
    public async Task Retry_with_NoStream_returns_the_original_result_and_writes_nothing()
    {
        await using var store = await NewStoreAsync();
        var batch = TestData.Many(3);
        var original = await store.AppendEventsAsync("s-1", ExpectedVersion.NoStream, batch);
        await store.AppendEventsAsync("other", ExpectedVersion.NoStream, TestData.Json());
        await AssertRetryIsNoOpAsync(store, "s-1", ExpectedVersion.NoStream, batch, original);
    }

    [Fact]
    public async Task Retry_with_Exact_returns_the_original_result_and_writes_nothing()
    {
        await using var store = await NewStoreAsync();
        await store.AppendEventsAsync("s-1", ExpectedVersion.NoStream, TestData.Many(2));
        var batch = TestData.Many(2);
        var original = await store.AppendEventsAsync("s-1", ExpectedVersion.Exact(2), batch);
        Assert.Equal(4, original.StreamVersion);

        // Someone else appended after the lost reply: the retry still answers with the original result.
        await store.AppendEventsAsync("s-1", ExpectedVersion.Exact(4), TestData.Json());
        await AssertRetryIsNoOpAsync(store, "s-1", ExpectedVersion.Exact(2), batch, original);
    }

    [Fact]
    public async Task Retry_with_Any_returns_the_original_result_and_writes_nothing()
    {
        await using var store = await NewStoreAsync();
        await store.AppendEventsAsync("s-1", ExpectedVersion.Any, TestData.Json());
        var batch = TestData.Many(2);
        var original = await store.AppendEventsAsync("s-1", ExpectedVersion.Any, batch);
        await store.AppendEventsAsync("s-1", ExpectedVersion.Any, TestData.Json());
        await AssertRetryIsNoOpAsync(store, "s-1", ExpectedVersion.Any, batch, original);
    }

    [Fact]
    public async Task Retry_of_a_single_event_returns_its_original_position()
    {
        await using var store = await NewStoreAsync();
        await store.AppendEventsAsync("x", ExpectedVersion.NoStream, TestData.Many(3));
        var e = TestData.Json();
        var original = await store.AppendEventsAsync("s-1", ExpectedVersion.NoStream, e);
        await store.AppendEventsAsync("y", ExpectedVersion.NoStream, TestData.Many(2));
        await AssertRetryIsNoOpAsync(store, "s-1", ExpectedVersion.NoStream, [e], original);
    }

    [Fact]
    public async Task Retry_checks_idempotency_before_the_expected_version()
    {
        // A retry of NoStream finds the stream existing (its own write); it must not see a conflict.
        await using var store = await NewStoreAsync();
        var batch = TestData.Many(2);
        var original = await store.AppendEventsAsync("s-1", ExpectedVersion.NoStream, batch);
        var retried = await store.AppendEventsAsync("s-1", ExpectedVersion.NoStream, batch);
        Assert.Equal(original, retried);
    }

    [Fact]
    public async Task Retry_at_another_place_in_the_same_stream_is_refused()
    {
        await using var store = await NewStoreAsync();
        var batch = TestData.Many(2);
        await store.AppendEventsAsync("s-1", ExpectedVersion.NoStream, batch);
        var head = await store.GetHeadPositionAsync(Ct);
        var ex = await Assert.ThrowsAsync<DuplicateEventIdException>(() => store.AppendEventsAsync("s-1", ExpectedVersion.Exact(2), batch));
        Assert.Equal("s-1", ex.StreamId);
        await AssertNothingWrittenAsync(store, head, ("s-1", 2L));
    }

    [Fact]
    public async Task Same_first_id_in_another_stream_is_refused_and_writes_nothing()
    {
        await using var store = await NewStoreAsync();
        var batch = TestData.Many(2);
        await store.AppendEventsAsync("s-1", ExpectedVersion.NoStream, batch);
        var head = await store.GetHeadPositionAsync(Ct);

        var ex = await Assert.ThrowsAsync<DuplicateEventIdException>(() => store.AppendEventsAsync("s-2", ExpectedVersion.Any, batch));
        Assert.Equal(batch[0].EventId, ex.EventId);
        Assert.Equal("s-2", ex.StreamId);
        Assert.Equal("s-1", ex.ExistingStreamId);
        Assert.Equal(1, ex.ExistingVersion);
        await AssertNothingWrittenAsync(store, head, ("s-1", 2L), ("s-2", null));
    }

    [Fact]
    public async Task Same_first_id_in_an_existing_other_stream_is_refused_and_writes_nothing()
    {
        await using var store = await NewStoreAsync();
        var e = TestData.Json();
        await store.AppendEventsAsync("s-1", ExpectedVersion.NoStream, e);
        await store.AppendEventsAsync("s-2", ExpectedVersion.NoStream, TestData.Json());
        var head = await store.GetHeadPositionAsync(Ct);
        await Assert.ThrowsAsync<DuplicateEventIdException>(() => store.AppendEventsAsync("s-2", ExpectedVersion.Exact(1), e));
        await AssertNothingWrittenAsync(store, head, ("s-1", 1L), ("s-2", 1L));
    }

    [Fact]
    public async Task Partial_overlap_extending_past_the_stored_events_is_refused_and_writes_nothing()
    {
        await using var store = await NewStoreAsync();
        var batch = TestData.Many(2);
        await store.AppendEventsAsync("s-1", ExpectedVersion.NoStream, batch);
        var head = await store.GetHeadPositionAsync(Ct);
        await Assert.ThrowsAsync<DuplicateEventIdException>(() => store.AppendEventsAsync("s-1", ExpectedVersion.NoStream, [.. batch, TestData.Json()]));
        await Assert.ThrowsAsync<DuplicateEventIdException>(() => store.AppendEventsAsync("s-1", ExpectedVersion.Any, [.. batch, TestData.Json()]));
        await AssertNothingWrittenAsync(store, head, ("s-1", 2L));
    }

    [Fact]
    public async Task Partial_overlap_with_a_new_first_id_is_refused_and_writes_nothing()
    {
        await using var store = await NewStoreAsync();
        var batch = TestData.Many(2);
        await store.AppendEventsAsync("s-1", ExpectedVersion.NoStream, batch);
        var head = await store.GetHeadPositionAsync(Ct);
        var ex = await Assert.ThrowsAsync<DuplicateEventIdException>(() => store.AppendEventsAsync("s-1", ExpectedVersion.Exact(2), TestData.Json(), batch[1]));
        Assert.Equal(batch[1].EventId, ex.EventId);
        await AssertNothingWrittenAsync(store, head, ("s-1", 2L));
    }

    [Fact]
    public async Task Retry_with_ids_in_another_order_is_refused_and_writes_nothing()
    {
        await using var store = await NewStoreAsync();
        var batch = TestData.Many(3);
        await store.AppendEventsAsync("s-1", ExpectedVersion.NoStream, batch);
        var head = await store.GetHeadPositionAsync(Ct);
        await Assert.ThrowsAsync<DuplicateEventIdException>(() => store.AppendEventsAsync("s-1", ExpectedVersion.NoStream, batch[0], batch[2], batch[1]));
        await AssertNothingWrittenAsync(store, head, ("s-1", 3L));
    }

    [Fact]
    public async Task The_same_id_twice_in_one_append_is_an_argument_error()
    {
        await using var store = await NewStoreAsync();
        var e = TestData.Json();
        await Assert.ThrowsAnyAsync<ArgumentException>(() => store.AppendEventsAsync("s-1", ExpectedVersion.NoStream, e, e));
        await AssertNothingWrittenAsync(store, 0, ("s-1", null));
    }

    [Fact]
    public async Task After_a_refused_reuse_new_events_still_append()
    {
        await using var store = await NewStoreAsync();
        var batch = TestData.Many(2);
        await store.AppendEventsAsync("s-1", ExpectedVersion.NoStream, batch);
        await Assert.ThrowsAsync<DuplicateEventIdException>(() => store.AppendEventsAsync("s-2", ExpectedVersion.NoStream, batch));
        Assert.Equal(1, (await store.AppendEventsAsync("s-2", ExpectedVersion.NoStream, TestData.Json())).StreamVersion);
        Assert.Equal(3, (await store.AppendEventsAsync("s-1", ExpectedVersion.Exact(2), TestData.Json())).StreamVersion);
    }

    private static async Task AssertRetryIsNoOpAsync(IEventStore store, string streamId, ExpectedVersion expected, EventData[] batch, AppendResult original)
    {
        var streamBefore = await store.ReadStreamListAsync(streamId);
        var logBefore = await store.ReadAllListAsync();

        var retried = await store.AppendEventsAsync(streamId, expected, batch);

        Assert.Equal(original.StreamVersion, retried.StreamVersion);
        Assert.Equal(original.LastPosition, retried.LastPosition);
        Assert.Equal(streamBefore.Select(e => (e.EventId, e.StreamVersion, e.Position)), (await store.ReadStreamListAsync(streamId)).Select(e => (e.EventId, e.StreamVersion, e.Position)));
        Assert.Equal(logBefore.Select(e => (e.EventId, e.Position)), (await store.ReadAllListAsync()).Select(e => (e.EventId, e.Position)));
        Assert.Equal(logBefore[^1].Position, await store.GetHeadPositionAsync(Ct));
    }

    private static async Task AssertNothingWrittenAsync(IEventStore store, long head, params (string Stream, long? Version)[] streams)
    {
        Assert.Equal(head, await store.GetHeadPositionAsync(Ct));
        foreach (var (stream, version) in streams)
        {
            Assert.Equal(version, await store.GetStreamVersionAsync(stream, Ct));
            Assert.Equal((int)(version ?? 0), (await store.ReadStreamListAsync(stream)).Count);
        }

        var all = await store.ReadAllListAsync();
        Assert.Equal(all.Select(e => e.EventId).Distinct().Count(), all.Count);
        Assert.Equal(head, all.Count == 0 ? 0 : all[^1].Position);
    }
}
