using Eventuali.Lifecycle;

namespace Eventuali.Conformance;

/// <summary>
/// Truncate and archive: events below a version leave stream reads and the global log, the version stays, appends
/// continue; archived events read back on request with their original ids, versions and positions.
/// </summary>
public abstract class LifecycleTruncateConformance<TFixture>(TFixture fixture) : ConformanceBase<TFixture>(fixture), IClassFixture<TFixture>
    where TFixture : class, IStoreFixture
{
    [Fact]
    public async Task Truncate_removes_the_events_below_a_version_and_keeps_the_version()
    {
        await using var store = await NewStoreAsync();
        var written = TestData.Many(5);
        await store.AppendEventsAsync("s-1", ExpectedVersion.NoStream, written);

        Assert.Equal(2, await store.Life().TruncateStreamAsync("s-1", 3, Ct));
        Assert.Equal(new long[] { 3L, 4, 5 }, (await store.ReadStreamListAsync("s-1")).Versions());
        Assert.Equal(new long[] { 5L, 4, 3 }, (await store.ReadStreamListAsync("s-1", StreamVersion.End, direction: ReadDirection.Backward)).Versions());
        Assert.Equal(new long[] { 4L, 3 }, (await store.ReadStreamListAsync("s-1", 4, direction: ReadDirection.Backward)).Versions());
        Assert.Empty(await store.ReadStreamListAsync("s-1", 2, direction: ReadDirection.Backward));
        Assert.Equal(5, await store.GetStreamVersionAsync("s-1", Ct));
        Assert.Equal(written.Skip(2).Select(e => e.EventId), await store.LogIdsOfAsync("s-1"));
        Assert.Equal(3, (await store.Life().GetStreamInfoAsync("s-1", Ct)).TruncatedBefore);

        // Truncating again below the point removes nothing; later appends continue from the version.
        Assert.Equal(0, await store.Life().TruncateStreamAsync("s-1", 2, Ct));
        Assert.Equal(6, (await store.AppendEventsAsync("s-1", ExpectedVersion.Exact(5), TestData.Json())).StreamVersion);
        await Assert.ThrowsAsync<ConcurrencyException>(() => store.AppendEventsAsync("s-1", ExpectedVersion.NoStream, TestData.Json()));
    }

    [Fact]
    public async Task Truncating_everything_keeps_the_stream_and_its_version()
    {
        await using var store = await NewStoreAsync();
        await store.AppendEventsAsync("s-1", ExpectedVersion.NoStream, TestData.Many(3));
        Assert.Equal(3, await store.Life().TruncateStreamAsync("s-1", long.MaxValue, Ct));
        Assert.Empty(await store.ReadStreamListAsync("s-1"));
        Assert.Empty(await store.ReadStreamListAsync("s-1", StreamVersion.End, direction: ReadDirection.Backward));
        Assert.Empty(await store.ReadAllListAsync());
        Assert.Equal(3, await store.GetStreamVersionAsync("s-1", Ct));
        Assert.Contains("s-1", await store.ListAsync());
        await Assert.ThrowsAsync<ConcurrencyException>(() => store.AppendEventsAsync("s-1", ExpectedVersion.NoStream, TestData.Json()));
        Assert.Equal(4, (await store.AppendEventsAsync("s-1", ExpectedVersion.StreamExists, TestData.Json())).StreamVersion);
        Assert.Equal(new long[] { 4L }, (await store.ReadStreamListAsync("s-1")).Versions());
    }

    [Fact]
    public async Task Retry_after_truncate_answers_for_kept_events_and_refuses_for_removed_ones()
    {
        await using var store = await NewStoreAsync();
        var first = TestData.Many(2);
        var second = TestData.Many(2);
        await store.AppendEventsAsync("s-1", ExpectedVersion.NoStream, first);
        var original = await store.AppendEventsAsync("s-1", ExpectedVersion.Exact(2), second);
        await store.Life().TruncateStreamAsync("s-1", 3, Ct);
        var head = await store.GetHeadPositionAsync(Ct);

        Assert.Equal(original, await store.AppendEventsAsync("s-1", ExpectedVersion.Exact(2), second));

        // The first append's ids are gone: its retry is an ordinary append that no longer fits.
        await Assert.ThrowsAsync<ConcurrencyException>(() => store.AppendEventsAsync("s-1", ExpectedVersion.NoStream, first));
        Assert.Equal(head, await store.GetHeadPositionAsync(Ct));
        Assert.Equal(new long[] { 3L, 4 }, (await store.ReadStreamListAsync("s-1")).Versions());
    }

    [Fact]
    public async Task Truncate_checks_its_arguments_and_the_stream_state()
    {
        await using var store = await NewStoreAsync();
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => store.Life().TruncateStreamAsync("s-1", 0, Ct).AsTask());
        await Assert.ThrowsAsync<InvalidStreamIdException>(() => store.Life().TruncateStreamAsync(" ", 1, Ct).AsTask());
        Assert.Equal(0, await store.Life().TruncateStreamAsync("missing", 5, Ct));
        await store.AppendEventsAsync("s-1", ExpectedVersion.NoStream, TestData.Many(2));
        await store.Life().DeleteStreamAsync("s-1", DeleteMode.Soft, Ct);
        var ex = await Assert.ThrowsAsync<StreamDeletedException>(() => store.Life().TruncateStreamAsync("s-1", 2, Ct).AsTask());
        Assert.False(ex.IsTombstoned);
        await Assert.ThrowsAsync<StreamDeletedException>(() => store.Life().ArchiveStreamAsync("s-1", cancellationToken: Ct).AsTask());
    }

    [Fact]
    public async Task Archive_moves_events_out_of_the_hot_log_and_reads_them_back_on_request()
    {
        await using var store = await NewStoreAsync();
        var written = TestData.Many(5);
        await store.AppendEventsAsync("s-1", ExpectedVersion.NoStream, written);
        await store.AppendEventsAsync("other", ExpectedVersion.NoStream, TestData.Json());
        var original = await store.ReadStreamListAsync("s-1");

        Assert.Equal(3, await store.Life().ArchiveStreamAsync("s-1", 4, Ct));
        Assert.Equal(new long[] { 4L, 5 }, (await store.ReadStreamListAsync("s-1")).Versions());
        Assert.Equal(written.Skip(3).Select(e => e.EventId), await store.LogIdsOfAsync("s-1"));
        Assert.Equal(5, await store.GetStreamVersionAsync("s-1", Ct));

        var archived = await store.ReadArchivedListAsync("s-1");
        Assert.Equal(original.Take(3).Select(e => (e.EventId, e.StreamVersion, e.Position, e.Timestamp)), archived.Select(e => (e.EventId, e.StreamVersion, e.Position, e.Timestamp)));
        for (var i = 0; i < 3; i++)
        {
            TestData.AssertSameEvent(written[i], archived[i]);
        }

        Assert.Equal(new long[] { 3L, 2, 1 }, (await store.ReadArchivedListAsync("s-1", StreamVersion.End, ReadDirection.Backward)).Versions());
        Assert.Equal(new long[] { 1L, 2, 3, 4, 5 }, (await store.ReadWithArchiveListAsync("s-1")).Versions());
        Assert.Equal(new long[] { 2L, 3, 4 }, (await store.ReadWithArchiveListAsync("s-1", 2, 3)).Versions());
        Assert.Equal(new long[] { 5L, 4, 3, 2, 1 }, (await store.ReadWithArchiveListAsync("s-1", StreamVersion.End, direction: ReadDirection.Backward)).Versions());
        Assert.Equal(new long[] { 2L, 1 }, (await store.ReadWithArchiveListAsync("s-1", 2, direction: ReadDirection.Backward)).Versions());

        Assert.Equal(6, (await store.AppendEventsAsync("s-1", ExpectedVersion.Exact(5), TestData.Json())).StreamVersion);
        Assert.Equal(3, await store.Life().ArchiveStreamAsync("s-1", cancellationToken: Ct));
        Assert.Empty(await store.ReadStreamListAsync("s-1"));
        Assert.Empty(await store.LogIdsOfAsync("s-1"));
        Assert.Equal(new long[] { 1L, 2, 3, 4, 5, 6 }, (await store.ReadWithArchiveListAsync("s-1")).Versions());
        Assert.Equal(6, await store.GetStreamVersionAsync("s-1", Ct));
    }

    [Fact]
    public async Task Archived_events_follow_the_stream_through_soft_delete_and_restore()
    {
        await using var store = await NewStoreAsync();
        await store.AppendEventsAsync("s-1", ExpectedVersion.NoStream, TestData.Many(3));
        await store.Life().ArchiveStreamAsync("s-1", 3, Ct);
        await store.Life().DeleteStreamAsync("s-1", DeleteMode.Soft, Ct);
        Assert.Empty(await store.ReadWithArchiveListAsync("s-1"));
        await store.Life().RestoreStreamAsync("s-1", Ct);
        Assert.Equal(new long[] { 1L, 2, 3 }, (await store.ReadWithArchiveListAsync("s-1")).Versions());
    }

    [Fact]
    public async Task Truncate_after_archive_removes_only_hot_events_and_reads_stay_in_order()
    {
        await using var store = await NewStoreAsync();
        await store.AppendEventsAsync("s-1", ExpectedVersion.NoStream, TestData.Many(6));
        await store.Life().ArchiveStreamAsync("s-1", 3, Ct);
        Assert.Equal(2, await store.Life().TruncateStreamAsync("s-1", 5, Ct));
        Assert.Equal(new long[] { 1L, 2 }, (await store.ReadArchivedListAsync("s-1")).Versions());
        Assert.Equal(new long[] { 1L, 2, 5, 6 }, (await store.ReadWithArchiveListAsync("s-1")).Versions());
        Assert.Equal(5, (await store.Life().GetStreamInfoAsync("s-1", Ct)).TruncatedBefore);
    }
}
