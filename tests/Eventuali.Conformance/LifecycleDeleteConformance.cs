using Eventuali.Lifecycle;

namespace Eventuali.Conformance;

/// <summary>
/// Soft delete, restore, hard delete (reusable and tombstoned): what stream reads, the global log and appends
/// see afterwards. Soft-deleted events stay in the global log; hard-deleted ones leave it.
/// </summary>
public abstract class LifecycleDeleteConformance<TFixture>(TFixture fixture) : ConformanceBase<TFixture>(fixture), IClassFixture<TFixture>
    where TFixture : class, IStoreFixture
{
    [Fact]
    public async Task Soft_delete_hides_the_stream_and_restore_brings_it_back_intact()
    {
        await using var store = await NewStoreAsync();
        await store.AppendEventsAsync("s-1", ExpectedVersion.NoStream, TestData.Many(3));
        await store.AppendEventsAsync("other", ExpectedVersion.NoStream, TestData.Json());
        var before = await store.ReadStreamListAsync("s-1");

        Assert.True(await store.Life().DeleteStreamAsync("s-1", DeleteMode.Soft, Ct));
        Assert.Empty(await store.ReadStreamListAsync("s-1"));
        Assert.Empty(await store.ReadStreamListAsync("s-1", StreamVersion.End, direction: ReadDirection.Backward));
        Assert.Null(await store.GetStreamVersionAsync("s-1", Ct));
        var info = await store.Life().GetStreamInfoAsync("s-1", Ct);
        Assert.Equal(StreamStatus.SoftDeleted, info.Status);
        Assert.Equal(3, info.Version);
        Assert.DoesNotContain("s-1", await store.ListAsync());

        // Soft-deleted events stay in the global log (like $all before a scavenge).
        Assert.Equal(before.Select(e => e.EventId), await store.LogIdsOfAsync("s-1"));

        Assert.True(await store.Life().RestoreStreamAsync("s-1", Ct));
        var after = await store.ReadStreamListAsync("s-1");
        Assert.Equal(before.Select(Key), after.Select(Key));
        for (var i = 0; i < before.Count; i++)
        {
            TestData.AssertJsonEqual(before[i].Data, after[i].Data);
        }

        Assert.Equal(3, await store.GetStreamVersionAsync("s-1", Ct));
        var next = await store.AppendEventsAsync("s-1", ExpectedVersion.Exact(3), TestData.Json());
        Assert.Equal(4, next.StreamVersion);
        Assert.False(await store.Life().RestoreStreamAsync("s-1", Ct));
    }

    private static (Guid, long, long, string, DateTimeOffset) Key(RecordedEvent e) => (e.EventId, e.StreamVersion, e.Position, e.EventType, e.Timestamp);

    [Fact]
    public async Task Appends_to_a_soft_deleted_stream_are_refused_retries_included_and_write_nothing()
    {
        await using var store = await NewStoreAsync();
        var batch = TestData.Many(2);
        await store.AppendEventsAsync("s-1", ExpectedVersion.NoStream, batch);
        await store.Life().DeleteStreamAsync("s-1", DeleteMode.Soft, Ct);
        var head = await store.GetHeadPositionAsync(Ct);

        foreach (var expected in new[] { ExpectedVersion.Any, ExpectedVersion.NoStream, ExpectedVersion.Exact(2), ExpectedVersion.StreamExists })
        {
            var ex = await Assert.ThrowsAsync<StreamDeletedException>(() => store.AppendEventsAsync("s-1", expected, TestData.Json()));
            Assert.False(ex.IsTombstoned);
            Assert.Equal("s-1", ex.StreamId);
        }

        await Assert.ThrowsAsync<StreamDeletedException>(() => store.AppendEventsAsync("s-1", ExpectedVersion.NoStream, batch));
        Assert.Equal(head, await store.GetHeadPositionAsync(Ct));
        Assert.Equal(2, (await store.ReadAllListAsync()).Count);
    }

    [Fact]
    public async Task Deleting_what_is_not_there_returns_false()
    {
        await using var store = await NewStoreAsync();
        Assert.False(await store.Life().DeleteStreamAsync("nothing", DeleteMode.Soft, Ct));
        Assert.False(await store.Life().DeleteStreamAsync("nothing", DeleteMode.Hard, Ct));
        Assert.False(await store.Life().RestoreStreamAsync("nothing", Ct));
        await store.AppendEventsAsync("s-1", ExpectedVersion.NoStream, TestData.Json());
        Assert.True(await store.Life().DeleteStreamAsync("s-1", DeleteMode.Soft, Ct));
        Assert.False(await store.Life().DeleteStreamAsync("s-1", DeleteMode.Soft, Ct));
        Assert.Equal(StreamStatus.None, (await store.Life().GetStreamInfoAsync("nothing", Ct)).Status);
    }

    [Fact]
    public async Task Hard_delete_removes_the_events_and_the_name_starts_again_at_version_1()
    {
        await using var store = await NewStoreAsync();
        var old = TestData.Many(3);
        await store.AppendEventsAsync("s-1", ExpectedVersion.NoStream, old);
        await store.AppendEventsAsync("other", ExpectedVersion.NoStream, TestData.Json());

        Assert.True(await store.Life().DeleteStreamAsync("s-1", DeleteMode.Hard, Ct));
        Assert.Empty(await store.ReadStreamListAsync("s-1"));
        Assert.Null(await store.GetStreamVersionAsync("s-1", Ct));
        Assert.Empty(await store.LogIdsOfAsync("s-1"));
        Assert.Single(await store.ReadAllListAsync());
        Assert.Equal(StreamStatus.None, (await store.Life().GetStreamInfoAsync("s-1", Ct)).Status);
        Assert.False(await store.Life().DeleteStreamAsync("s-1", DeleteMode.Hard, Ct));

        var fresh = await store.AppendEventsAsync("s-1", ExpectedVersion.NoStream, TestData.Json());
        Assert.Equal(1, fresh.StreamVersion);
        Assert.Equal(new long[] { 1L }, (await store.ReadStreamListAsync("s-1")).Versions());

        // The old ids are gone: they may be stored again, even elsewhere.
        var reused = await store.AppendEventsAsync("s-2", ExpectedVersion.NoStream, old);
        Assert.Equal(3, reused.StreamVersion);
    }

    [Fact]
    public async Task Tombstone_removes_the_events_and_refuses_the_name_forever()
    {
        await using var store = await NewStoreAsync();
        var batch = TestData.Many(2);
        await store.AppendEventsAsync("s-1", ExpectedVersion.NoStream, batch);
        await store.AppendEventsAsync("other", ExpectedVersion.NoStream, TestData.Json());

        Assert.True(await store.Life().DeleteStreamAsync("s-1", DeleteMode.Tombstone, Ct));
        Assert.Empty(await store.ReadStreamListAsync("s-1"));
        Assert.Null(await store.GetStreamVersionAsync("s-1", Ct));
        Assert.Empty(await store.LogIdsOfAsync("s-1"));
        Assert.Equal(StreamStatus.Tombstoned, (await store.Life().GetStreamInfoAsync("s-1", Ct)).Status);

        foreach (var expected in new[] { ExpectedVersion.Any, ExpectedVersion.NoStream, ExpectedVersion.Exact(2) })
        {
            var ex = await Assert.ThrowsAsync<StreamDeletedException>(() => store.AppendEventsAsync("s-1", expected, TestData.Json()));
            Assert.True(ex.IsTombstoned);
        }

        await Assert.ThrowsAsync<StreamDeletedException>(() => store.AppendEventsAsync("s-1", ExpectedVersion.NoStream, batch));
        await Assert.ThrowsAsync<StreamDeletedException>(() => store.Life().RestoreStreamAsync("s-1", Ct).AsTask());
        await Assert.ThrowsAsync<StreamDeletedException>(() => store.Life().TruncateStreamAsync("s-1", 2, Ct).AsTask());
        Assert.False(await store.Life().DeleteStreamAsync("s-1", DeleteMode.Tombstone, Ct));
        Assert.False(await store.Life().DeleteStreamAsync("s-1", DeleteMode.Hard, Ct));
        Assert.False(await store.Life().DeleteStreamAsync("s-1", DeleteMode.Soft, Ct));
        Assert.Single(await store.ReadAllListAsync());
    }

    [Fact]
    public async Task A_name_never_written_can_be_tombstoned()
    {
        await using var store = await NewStoreAsync();
        Assert.True(await store.Life().DeleteStreamAsync("reserved", DeleteMode.Tombstone, Ct));
        var ex = await Assert.ThrowsAsync<StreamDeletedException>(() => store.AppendEventsAsync("reserved", ExpectedVersion.NoStream, TestData.Json()));
        Assert.True(ex.IsTombstoned);
        Assert.Empty(await store.ReadAllListAsync());
    }

    [Fact]
    public async Task A_soft_deleted_stream_can_be_hard_deleted_and_its_archive_goes_too()
    {
        await using var store = await NewStoreAsync();
        await store.AppendEventsAsync("s-1", ExpectedVersion.NoStream, TestData.Many(4));
        Assert.Equal(2, await store.Life().ArchiveStreamAsync("s-1", 3, Ct));
        await store.Life().DeleteStreamAsync("s-1", DeleteMode.Soft, Ct);
        Assert.Empty(await store.ReadArchivedListAsync("s-1"));

        Assert.True(await store.Life().DeleteStreamAsync("s-1", DeleteMode.Hard, Ct));
        Assert.Empty(await store.ReadAllListAsync());
        Assert.Equal(1, (await store.AppendEventsAsync("s-1", ExpectedVersion.NoStream, TestData.Json())).StreamVersion);
        Assert.Empty(await store.ReadArchivedListAsync("s-1"));
        Assert.Equal(new long[] { 1L }, (await store.ReadWithArchiveListAsync("s-1")).Versions());
    }
}
