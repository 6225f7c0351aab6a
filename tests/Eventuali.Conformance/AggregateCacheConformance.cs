using Eventuali.Caching;
using Eventuali.Lifecycle;
using Eventuali.Snapshots;
using Eventuali.Typed;

namespace Eventuali.Conformance;

/// <summary>
/// An <see cref="IAggregateCache"/> on a backend: an entry never changes what a load returns, only how many events it
/// reads. Writes that bypass the cache (another node without it) go through <see cref="WithoutCache"/>.
/// </summary>
public abstract class AggregateCacheConformance<TFixture>(TFixture fixture) : ConformanceBase<TFixture>(fixture), IClassFixture<TFixture>, IAsyncLifetime
    where TFixture : class, IStoreFixture
{
    private IAggregateCache? _cache;

    protected IAggregateCache Cache => _cache ?? throw new InvalidOperationException("The cache is made in InitializeAsync.");

    /// <summary>A new cache no other test sees (its own key space).</summary>
    protected abstract ValueTask<IAggregateCache> CreateCacheAsync();

    public async ValueTask InitializeAsync() => _cache = await CreateCacheAsync();

    public async ValueTask DisposeAsync()
    {
        if (_cache is IAsyncDisposable d)
        {
            await d.DisposeAsync();
        }

        GC.SuppressFinalize(this);
    }

    protected ValueTask<IEventStore> NewCachedStoreAsync() => NewStoreAsync(new EventStoreOptions { AggregateCache = Cache });

    /// <summary>The same store seen by a writer or reader without the cache.</summary>
    protected static IEventStore WithoutCache(IEventStore store) => new OptionsOverride(store, store.Options with { AggregateCache = null });

    private static Task<Ledger> WriteAsync(IEventStore store, string id, int events) => SnapshotConformance<TFixture>.WriteLedgerAsync(store, id, events, perSave: 7);

    private static async Task<string> ReferenceAsync(IEventStore store, string id)
        => (await new EventsOnlyStore(WithoutCache(store)).LoadAsync<Ledger>(id, Ct))?.StateKey ?? "none";

    private static async Task CreditAsync(IEventStore store, string id, int count, string memo)
    {
        var ledger = (await store.LoadAsync<Ledger>(id, Ct))!;
        for (var i = 0; i < count; i++)
        {
            ledger.Credit(i + 1, memo + i);
        }

        await store.SaveAsync(ledger, cancellationToken: Ct);
    }

    [Fact]
    public async Task A_saved_aggregate_loads_from_the_cache_without_reading_its_events()
    {
        await using var store = await NewCachedStoreAsync();
        var written = await WriteAsync(store, "hit", 40);
        var load = await store.LoadWithReportAsync<Ledger>("hit", cancellationToken: Ct);
        Assert.Equal((40L, 0L), (load.CachedVersion, load.EventsReplayed));
        Assert.Equal(written.StateKey, load.Aggregate.StateKey);
        Assert.Equal(await ReferenceAsync(store, "hit"), load.Aggregate.StateKey);
        Assert.Equal(1, Cache.Statistics.Hits);
    }

    [Fact]
    public async Task A_miss_replays_the_stream_and_fills_the_cache()
    {
        await using var store = await NewCachedStoreAsync();
        var written = await WriteAsync(store, "miss", 30);
        await Cache.RemoveAsync(AggregateStreams.StreamId<Ledger>("miss"), Ct);
        var first = await store.LoadWithReportAsync<Ledger>("miss", cancellationToken: Ct);
        Assert.Equal((null, 30L), (first.CachedVersion, first.EventsReplayed));
        Assert.Equal(written.StateKey, first.Aggregate.StateKey);
        var second = await store.LoadWithReportAsync<Ledger>("miss", cancellationToken: Ct);
        Assert.Equal((30L, 0L), (second.CachedVersion, second.EventsReplayed));
        Assert.Equal(written.StateKey, second.Aggregate.StateKey);
        Assert.Equal((1L, 1L), (Cache.Statistics.Misses, Cache.Statistics.Hits));
    }

    [Fact]
    public async Task An_entry_behind_the_stream_replays_only_the_events_after_it_and_is_brought_up_to_date()
    {
        await using var store = await NewCachedStoreAsync();
        await WriteAsync(store, "behind", 25);
        await CreditAsync(WithoutCache(store), "behind", 6, "late");
        var load = await store.LoadWithReportAsync<Ledger>("behind", cancellationToken: Ct);
        Assert.Equal((25L, 6L), (load.CachedVersion, load.EventsReplayed));
        Assert.Equal(31, load.Aggregate.Version);
        Assert.Equal(await ReferenceAsync(store, "behind"), load.Aggregate.StateKey);
        Assert.Equal(1, Cache.Statistics.BehindHits);
        var again = await store.LoadWithReportAsync<Ledger>("behind", cancellationToken: Ct);
        Assert.Equal((31L, 0L), (again.CachedVersion, again.EventsReplayed));
    }

    [Theory]
    [InlineData(10)]
    [InlineData(20)]
    [InlineData(35)]
    public async Task A_deleted_and_recreated_stream_is_a_miss_never_the_old_state(int recreatedEvents)
    {
        await using var store = await NewCachedStoreAsync();
        await WriteAsync(store, "again", 20);
        Assert.True(await store.GetStreamLifecycle().DeleteStreamAsync(AggregateStreams.StreamId<Ledger>("again"), DeleteMode.Hard, Ct));
        var other = WithoutCache(store);
        var recreated = Ledger.Open("again", "someone else");
        for (var i = 1; i < recreatedEvents; i++)
        {
            recreated.Debit(i, "new" + i);
        }

        await other.SaveAsync(recreated, cancellationToken: Ct);
        var load = await store.LoadWithReportAsync<Ledger>("again", cancellationToken: Ct);
        Assert.Null(load.CachedVersion);
        Assert.Equal(recreated.StateKey, load.Aggregate.StateKey);
        Assert.Equal(1, Cache.Statistics.Invalid);
        var again = await store.LoadWithReportAsync<Ledger>("again", cancellationToken: Ct);
        Assert.Equal(recreated.StateKey, again.Aggregate.StateKey);
        Assert.Equal(recreatedEvents, again.CachedVersion);
    }

    [Fact]
    public async Task A_deleted_stream_loads_as_missing_whatever_the_cache_holds()
    {
        await using var store = await NewCachedStoreAsync();
        await WriteAsync(store, "gone", 12);
        await store.GetStreamLifecycle().DeleteStreamAsync(AggregateStreams.StreamId<Ledger>("gone"), DeleteMode.Hard, Ct);
        Assert.Null(await store.LoadAsync<Ledger>("gone", Ct));
    }

    [Fact]
    public async Task Truncation_below_the_entry_keeps_it_and_truncation_past_it_is_a_miss()
    {
        await using var store = await NewCachedStoreAsync();
        var stream = AggregateStreams.StreamId<Ledger>("cut");
        await WriteAsync(store, "cut", 20);
        await CreditAsync(WithoutCache(store), "cut", 20, "more");
        var reference = await ReferenceAsync(store, "cut");

        // Below the entry (version 20): the entry and the events after it are all still there.
        await store.GetStreamLifecycle().TruncateStreamAsync(stream, 10, Ct);
        var kept = await store.LoadWithReportAsync<Ledger>("cut", cancellationToken: Ct);
        Assert.Equal((20L, 20L), (kept.CachedVersion, kept.EventsReplayed));
        Assert.Equal(reference, kept.Aggregate.StateKey);

        // Past the entry (now at 40) with a snapshot at 45: the entry would need removed events; the snapshot serves.
        var at40 = (await Cache.GetAsync(stream, Ct))!;
        await CreditAsync(store, "cut", 5, "tail");
        var tail = (await store.LoadAsync<Ledger>("cut", Ct))!;
        await store.TakeSnapshotAsync(tail, cancellationToken: Ct);
        await Cache.RemoveAsync(stream, Ct);
        await Cache.SetAsync(at40, Ct);
        await store.GetStreamLifecycle().TruncateStreamAsync(stream, 43, Ct);
        var past = await store.LoadWithReportAsync<Ledger>("cut", cancellationToken: Ct);
        Assert.Null(past.CachedVersion);
        Assert.Equal(45L, past.SnapshotVersion);
        Assert.Equal(tail.StateKey, past.Aggregate.StateKey);
        Assert.Equal(1, Cache.Statistics.Invalid);
    }

    [Fact]
    public async Task An_entry_of_another_aggregate_type_or_state_shape_is_a_miss()
    {
        await using var store = await NewCachedStoreAsync();
        var written = await WriteAsync(store, "shape", 15);
        var v2 = (await store.LoadAsync<LedgerV2>("shape", Ct))!;
        var v2Reference = (await new EventsOnlyStore(WithoutCache(store)).LoadAsync<LedgerV2>("shape", Ct))!;
        Assert.Equal((v2Reference.Balance, v2Reference.Entries), (v2.Balance, v2.Entries));
        Assert.Equal(1, Cache.Statistics.Invalid);

        // LedgerV2's load wrote its own entry; Ledger does not take it.
        var back = await store.LoadWithReportAsync<Ledger>("shape", cancellationToken: Ct);
        Assert.Null(back.CachedVersion);
        Assert.Equal(written.StateKey, back.Aggregate.StateKey);
    }

    [Fact]
    public async Task A_forged_or_corrupt_entry_is_a_miss()
    {
        await using var store = await NewCachedStoreAsync();
        var written = await WriteAsync(store, "forged", 18);
        var stream = AggregateStreams.StreamId<Ledger>("forged");
        var real = (await Cache.GetAsync(stream, Ct))!;
        await Cache.RemoveAsync(stream, Ct);

        // The right version with the wrong position: not the event the state was taken after.
        await Cache.SetAsync(real with { Position = real.Position + 1000 }, Ct);
        Assert.Equal(written.StateKey, (await store.LoadAsync<Ledger>("forged", Ct))!.StateKey);

        // Bytes that do not match their checksum.
        await Cache.RemoveAsync(stream, Ct);
        var bytes = real.State.ToArray();
        bytes[^2] ^= 0x20;
        await Cache.SetAsync(real with { State = bytes }, Ct);
        Assert.Equal(written.StateKey, (await store.LoadAsync<Ledger>("forged", Ct))!.StateKey);

        // A version the stream never reached.
        await Cache.RemoveAsync(stream, Ct);
        await Cache.SetAsync(real with { Version = 500 }, Ct);
        Assert.Equal(written.StateKey, (await store.LoadAsync<Ledger>("forged", Ct))!.StateKey);
        Assert.Equal(3, Cache.Statistics.Invalid);
    }

    [Fact]
    public async Task Concurrent_writers_and_readers_always_load_a_state_the_stream_had()
    {
        await using var store = await NewCachedStoreAsync();
        await WriteAsync(store, "busy", 5);
        const int Writers = 4, Rounds = 12;
        async Task WriterAsync(int w)
        {
            // Half the writers bypass the cache, as nodes without it would.
            var target = w % 2 == 0 ? store : WithoutCache(store);
            for (var r = 0; r < Rounds; r++)
            {
                while (true)
                {
                    var ledger = (await target.LoadAsync<Ledger>("busy", Ct))!;
                    ledger.Credit(1000 + w, $"w{w}r{r}");
                    try
                    {
                        await target.SaveAsync(ledger, cancellationToken: Ct);
                        break;
                    }
                    catch (ConcurrencyException)
                    {
                    }
                }
            }
        }

        var reads = 0;
        async Task ReaderAsync()
        {
            for (var i = 0; i < 30; i++)
            {
                var loaded = (await store.LoadAsync<Ledger>("busy", Ct))!;
                var atVersion = (await new EventsOnlyStore(WithoutCache(store)).LoadAsOfAsync<Ledger>("busy", AsOf.Version(loaded.Version), Ct))!;
                Assert.Equal(atVersion.StateKey, loaded.StateKey);
                Interlocked.Increment(ref reads);
            }
        }

        await Task.WhenAll([.. Enumerable.Range(0, Writers).Select(WriterAsync), ReaderAsync(), ReaderAsync()]);
        var final = (await store.LoadAsync<Ledger>("busy", Ct))!;
        Assert.Equal(5 + (Writers * Rounds), final.Version);
        Assert.Equal(await ReferenceAsync(store, "busy"), final.StateKey);
        Assert.Equal(60, reads);
    }

    [Fact]
    public async Task Warming_loads_given_ids_and_the_most_recently_written_aggregates()
    {
        await using var store = await NewCachedStoreAsync();
        var other = WithoutCache(store);
        for (var i = 0; i < 6; i++)
        {
            await WriteAsync(other, "warm" + i, 8 + i);
        }

        Assert.Equal(2, await store.WarmAggregateCacheAsync<Ledger>(["warm0", "warm1", "never-written"], Ct));
        Assert.NotNull(await Cache.GetAsync(AggregateStreams.StreamId<Ledger>("warm1"), Ct));
        var recent = await store.WarmRecentAggregatesAsync<Ledger>(3, cancellationToken: Ct);
        Assert.Equal(["warm5", "warm4", "warm3"], recent);
        Assert.Null(await Cache.GetAsync(AggregateStreams.StreamId<Ledger>("warm2"), Ct));
        var load = await store.LoadWithReportAsync<Ledger>("warm4", cancellationToken: Ct);
        Assert.Equal((12L, 0L), (load.CachedVersion, load.EventsReplayed));
        Assert.Equal(await ReferenceAsync(store, "warm4"), load.Aggregate.StateKey);
        await Assert.ThrowsAsync<InvalidOperationException>(async () => await other.WarmRecentAggregatesAsync<Ledger>(1, cancellationToken: Ct));
    }

    [Fact]
    public async Task Historical_loads_and_aggregates_without_a_snapshot_state_do_not_use_the_cache()
    {
        await using var store = await NewCachedStoreAsync();
        var written = await WriteAsync(store, "past", 20);
        var at10 = await store.LoadWithReportAsync<Ledger>("past", AsOf.Version(10), Ct);
        Assert.Null(at10.CachedVersion);
        Assert.Equal(10, at10.Aggregate.Version);
        Assert.Equal((0L, 0L, 0L), (Cache.Statistics.Hits, Cache.Statistics.Misses, Cache.Statistics.Invalid));
        Assert.Equal(written.StateKey, (await store.LoadAsync<Ledger>("past", Ct))!.StateKey);
    }

    /// <summary>The store with other options (the cache taken away), every call passed through.</summary>
    private sealed class OptionsOverride(IEventStore inner, EventStoreOptions options) : IEventStore
    {
        public EventStoreOptions Options => options;

        public ValueTask<AppendResult> AppendAsync(string streamId, ExpectedVersion expectedVersion, IReadOnlyList<EventData> events, CancellationToken cancellationToken = default)
            => inner.AppendAsync(streamId, expectedVersion, events, cancellationToken);

        public IAsyncEnumerable<RecordedEvent> ReadStreamAsync(string streamId, long fromVersion = StreamVersion.Start, int maxCount = int.MaxValue, ReadDirection direction = ReadDirection.Forward, CancellationToken cancellationToken = default)
            => inner.ReadStreamAsync(streamId, fromVersion, maxCount, direction, cancellationToken);

        public IAsyncEnumerable<RecordedEvent> ReadAllAsync(long fromPosition = 1, int maxCount = int.MaxValue, EventFilter? filter = null, CancellationToken cancellationToken = default)
            => inner.ReadAllAsync(fromPosition, maxCount, filter, cancellationToken);

        public ValueTask<long?> GetStreamVersionAsync(string streamId, CancellationToken cancellationToken = default) => inner.GetStreamVersionAsync(streamId, cancellationToken);

        public ValueTask<long> GetHeadPositionAsync(CancellationToken cancellationToken = default) => inner.GetHeadPositionAsync(cancellationToken);

        public TFeature? GetFeature<TFeature>()
            where TFeature : class => inner.GetFeature<TFeature>();

        // The inner store belongs to the test.
        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }
}
