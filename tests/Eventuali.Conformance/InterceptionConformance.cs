using System.Collections.Concurrent;
using Eventuali.Import;
using Eventuali.Interception;
using Eventuali.Lifecycle;
using Eventuali.Projections;
using Eventuali.Sagas;
using Eventuali.Snapshots;
using Eventuali.Statistics;
using Eventuali.Subscriptions;

namespace Eventuali.Conformance;

/// <summary>
/// The interception seam over this backend: a wrapped store keeps every capability, every path in and out goes
/// through the interceptors, and what they rewrite is what is stored. Enroll with the bare fixture.
/// </summary>
public abstract class InterceptionConformance<TFixture>(TFixture fixture) : ConformanceBase<TFixture>(fixture), IClassFixture<TFixture>
    where TFixture : class, IStoreFixture
{
    [Fact]
    public async Task A_wrapped_store_keeps_every_capability_of_the_backend()
    {
        await using var store = await NewStoreAsync();
        var wrapped = new InterceptedEventStore(store, [new CountingInterceptor()]);
        Assert.Equal(store.GetFeature<ICheckpointStore>() is null, wrapped.GetFeature<ICheckpointStore>() is null);
        Assert.Equal(store.GetFeature<IStreamLifecycle>() is null, wrapped.GetFeature<IStreamLifecycle>() is null);
        Assert.Equal(store.GetFeature<ISnapshotStore>() is null, wrapped.GetFeature<ISnapshotStore>() is null);
        Assert.Equal(store.GetFeature<IProjectionStore>() is null, wrapped.GetFeature<IProjectionStore>() is null);
        Assert.Equal(store.GetFeature<IInlineProjectionStore>() is null, wrapped.GetFeature<IInlineProjectionStore>() is null);
        Assert.Equal(store.GetFeature<ISagaStore>() is null, wrapped.GetFeature<ISagaStore>() is null);
        Assert.Equal(store.GetFeature<IStoreStatistics>() is null, wrapped.GetFeature<IStoreStatistics>() is null);
        Assert.Equal(store.GetFeature<IEventImporter>() is null, wrapped.GetFeature<IEventImporter>() is null);
        Assert.Equal(store.GetFeature<IAppendNotifications>() is null, wrapped.GetFeature<IAppendNotifications>() is null);
        Assert.Equal(store.GetFeature<IStreamTimeline>() is null, wrapped.GetFeature<IStreamTimeline>() is null);
        Assert.Same(store.GetFeature<ICheckpointStore>(), wrapped.GetFeature<ICheckpointStore>());
        Assert.Same(wrapped, wrapped.GetFeature<IEventStore>());
        Assert.Same(store.Options, wrapped.Options);
    }

    [Fact]
    public async Task Every_read_path_sees_intercepted_events_and_storage_holds_the_rewritten_ones()
    {
        await using var inner = await NewStoreAsync();
        var counts = new CountingInterceptor();
        var stamp = new StampingInterceptor();
        var store = inner.WithInterceptors(counts, stamp);

        await store.AppendEventsAsync("seam-1", ExpectedVersion.NoStream, TestData.Many(3));
        Assert.Equal(3, counts.Appended);
        Assert.All(await inner.ReadStreamListAsync("seam-1"), e => Assert.Equal("1", e.Metadata.Headers![StampingInterceptor.Header]));
        Assert.All(await store.ReadStreamListAsync("seam-1"), e => Assert.True(e.Metadata.IsEmpty));
        Assert.Equal(3, counts.Read);
        Assert.All(await store.ReadAllListAsync(), e => Assert.True(e.Metadata.IsEmpty));
        Assert.Equal(6, counts.Read);

        await foreach (var e in store.SubscribeToAllAsync(0, null, Ct))
        {
            Assert.True(e.Metadata.IsEmpty);
            break;
        }

        Assert.Equal(7, counts.Read);

        if (store.GetFeature<IEventImporter>() is { } importer)
        {
            await importer.ImportAsync("seam-2", ExpectedVersion.NoStream, [TestData.Json()], DateTimeOffset.UnixEpoch, Ct);
            Assert.Equal("1", Assert.Single(await inner.ReadStreamListAsync("seam-2")).Metadata.Headers![StampingInterceptor.Header]);
        }

        if (store.GetFeature<IStreamLifecycle>() is { } lifecycle)
        {
            Assert.Equal(2, await lifecycle.ArchiveStreamAsync("seam-1", 3, Ct));
            var before = counts.Read;
            var archived = new List<RecordedEvent>();
            await foreach (var e in lifecycle.ReadArchivedStreamAsync("seam-1", cancellationToken: Ct))
            {
                archived.Add(e);
            }

            Assert.Equal(2, archived.Count);
            Assert.All(archived, e => Assert.True(e.Metadata.IsEmpty));
            Assert.Equal(before + 2, counts.Read);
        }

        Assert.Equal(0, stamp.Unstamped);
    }

    [Fact]
    public async Task Snapshot_bytes_and_inline_projections_go_through_the_interceptors()
    {
        await using var inner = await NewStoreAsync();
        var counts = new CountingInterceptor();
        var store = inner.WithInterceptors(counts, new StampingInterceptor());
        if (store.GetFeature<ISnapshotStore>() is { } snapshots)
        {
            var data = new byte[] { 1, 2, 3 };
            await snapshots.WriteSnapshotAsync(new StoredSnapshot("seam-s", 1, 1, "seam", 1, SnapshotCodec.None, 0, data, DateTimeOffset.UnixEpoch), Ct);
            Assert.NotNull(await snapshots.ReadSnapshotAsync("seam-s", cancellationToken: Ct));
            Assert.Equal(1, counts.SnapshotsWritten);
            Assert.Equal(1, counts.SnapshotsRead);
        }

        if (store.GetFeature<IInlineProjectionStore>() is { } inline)
        {
            var seen = new SeenProjection();
            await inline.AddInlineProjectionAsync(seen, Ct);
            await store.AppendEventsAsync("seam-p", ExpectedVersion.NoStream, TestData.Json("seen"));
            var e = Assert.Single(seen.Events);
            Assert.True(e.Metadata.IsEmpty, "the inline projection saw the stored (stamped) event, not the intercepted one");
        }
    }

    private sealed class SeenProjection : Projection
    {
        public SeenProjection()
            : base("seam-seen") => On("seen", (e, _, _) =>
            {
                Events.Enqueue(e);
                return ValueTask.CompletedTask;
            });

        public ConcurrentQueue<RecordedEvent> Events { get; } = new();
    }
}
