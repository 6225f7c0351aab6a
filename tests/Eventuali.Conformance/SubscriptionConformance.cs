using Eventuali.Subscriptions;

namespace Eventuali.Conformance;

/// <summary>
/// Catch-up subscriptions: from a position through the log, then live, with no loss and no duplicate at the
/// switch; filters; one stream; cancellation. Every backend enrolls.
/// </summary>
public abstract class SubscriptionConformance<TFixture>(TFixture fixture) : ConformanceBase<TFixture>(fixture), IClassFixture<TFixture>
    where TFixture : class, IStoreFixture
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    /// <summary>Reads <paramref name="count"/> events from a subscription, failing if they do not come within 30 s.</summary>
    protected static async Task<List<RecordedEvent>> TakeAsync(Func<CancellationToken, IAsyncEnumerable<RecordedEvent>> subscribe, int count, Func<RecordedEvent, ValueTask>? onEvent = null)
    {
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        cts.CancelAfter(Patience);
        var got = new List<RecordedEvent>(count);
        try
        {
            await foreach (var e in subscribe(cts.Token))
            {
                got.Add(e);
                if (onEvent is not null)
                {
                    await onEvent(e);
                }

                if (got.Count == count)
                {
                    break;
                }
            }
        }
        catch (OperationCanceledException) when (!Ct.IsCancellationRequested)
        {
            Assert.Fail($"Only {got.Count} of {count} events were delivered within {Patience.TotalSeconds} s.");
        }

        return got;
    }

    private static async Task<List<EventData>> WriteAsync(IEventStore store, string streamPrefix, int streams, int eventsEach, string type = "test-event")
    {
        var written = new List<EventData>();
        for (var s = 0; s < streams; s++)
        {
            var events = TestData.Many(eventsEach, type);
            await store.AppendEventsAsync($"{streamPrefix}{s}", ExpectedVersion.Any, events);
            written.AddRange(events);
        }

        return written;
    }

    private static void AssertExactlyOnceInOrder(List<EventData> written, List<RecordedEvent> delivered)
    {
        TestData.AssertStrictlyIncreasing(delivered);
        Assert.Equal(delivered.Count, delivered.Select(e => e.EventId).Distinct().Count());
        Assert.Equal(written.Select(e => e.EventId).Order(), delivered.Select(e => e.EventId).Order());
    }

    [Fact]
    public async Task Catch_up_then_live_delivers_every_event_once_in_order_while_appends_race_the_switch()
    {
        await using var store = await NewStoreAsync(new EventStoreOptions { ReadPageSize = 64 });
        var before = await WriteAsync(store, "pre-", 25, 20);
        var during = new List<EventData>();
        using var go = new SemaphoreSlim(0);

        // Three concurrent writers: on PostgreSQL their transactions commit in any order.
        var writers = Enumerable.Range(0, 3).Select(w => Task.Run(async () =>
        {
            await go.WaitAsync(Ct);
            for (var i = 0; i < 40; i++)
            {
                var events = TestData.Many(1 + (i % 4));
                await store.AppendEventsAsync($"live-{w}-{i % 5}", ExpectedVersion.Any, events);
                lock (during)
                {
                    during.AddRange(events);
                }
            }
        }, Ct)).ToArray();

        var total = before.Count + 300; // 3 writers x 40 appends of 1..4 events
        var delivered = await TakeAsync(
            ct => store.SubscribeToAllAsync(0, null, ct),
            total,
            e =>
            {
                if (e.EventId == before[5].EventId)
                {
                    go.Release(3); // the writers race the rest of the catch-up and the switch to live
                }

                return ValueTask.CompletedTask;
            });
        await Task.WhenAll(writers);
        AssertExactlyOnceInOrder([.. before, .. during], delivered);
        Assert.Equal((await store.ReadAllListAsync()).Select(e => e.EventId), delivered.Select(e => e.EventId));
    }

    [Fact]
    public async Task Subscription_starts_after_the_given_position_and_then_waits_for_new_events()
    {
        await using var store = await NewStoreAsync();
        await WriteAsync(store, "a-", 3, 4);
        var all = await store.ReadAllListAsync();
        var after = all[5].Position;
        var task = TakeAsync(ct => store.SubscribeToAllAsync(after, null, ct), all.Count - 6 + 3);
        var late = TestData.Many(3);
        await store.AppendEventsAsync("late", ExpectedVersion.NoStream, late);
        var delivered = await task;
        Assert.Equal(all.Skip(6).Select(e => e.EventId).Concat(late.Select(e => e.EventId)), delivered.Select(e => e.EventId));
    }

    [Fact]
    public async Task Category_filter_delivers_only_that_prefix_in_catch_up_and_live()
    {
        await using var store = await NewStoreAsync();
        var accounts = await WriteAsync(store, "account-", 4, 3);
        await WriteAsync(store, "order-", 4, 3);
        await WriteAsync(store, "accounting-", 2, 2);
        var task = TakeAsync(ct => store.SubscribeToAllAsync(0, EventFilter.ForCategory("account-"), ct), accounts.Count + 4);
        var live = new List<EventData>();
        for (var i = 0; i < 4; i++)
        {
            await store.AppendEventsAsync($"order-live-{i}", ExpectedVersion.Any, TestData.Many(2));
            var mine = TestData.Many(1);
            await store.AppendEventsAsync($"account-live-{i}", ExpectedVersion.Any, mine);
            live.AddRange(mine);
        }

        var delivered = await task;
        AssertExactlyOnceInOrder([.. accounts, .. live], delivered);
        Assert.All(delivered, e => Assert.StartsWith("account-", e.StreamId, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Event_type_filter_delivers_only_those_types_in_catch_up_and_live()
    {
        await using var store = await NewStoreAsync();
        var wanted = await WriteAsync(store, "x-", 3, 2, "deposited");
        await WriteAsync(store, "y-", 3, 2, "withdrawn");
        var task = TakeAsync(ct => store.SubscribeToAllAsync(0, EventFilter.ForEventTypes("deposited", "closed"), ct), wanted.Count + 2);
        await store.AppendEventsAsync("z", ExpectedVersion.Any, TestData.Many(5, "withdrawn"));
        var liveWanted = new[] { TestData.Json("closed"), TestData.Json("deposited") };
        await store.AppendEventsAsync("z", ExpectedVersion.Any, [TestData.Json("withdrawn"), liveWanted[0], TestData.Json("opened"), liveWanted[1]]);
        var delivered = await task;
        AssertExactlyOnceInOrder([.. wanted, .. liveWanted], delivered);
    }

    [Fact]
    public async Task Stream_subscription_delivers_that_stream_after_a_version_then_live()
    {
        await using var store = await NewStoreAsync();
        var first = TestData.Many(5);
        await store.AppendEventsAsync("target", ExpectedVersion.NoStream, first);
        await store.AppendEventsAsync("other", ExpectedVersion.NoStream, TestData.Many(3));
        var task = TakeAsync(ct => store.SubscribeToStreamAsync("target", 2, ct), 3 + 4);
        await store.AppendEventsAsync("other", ExpectedVersion.Any, TestData.Many(2));
        var live = TestData.Many(4);
        foreach (var e in live)
        {
            await store.AppendEventsAsync("target", ExpectedVersion.Any, e);
        }

        var delivered = await task;
        Assert.Equal(first.Skip(2).Concat(live).Select(e => e.EventId), delivered.Select(e => e.EventId));
        Assert.Equal([3L, 4, 5, 6, 7, 8, 9], delivered.Select(e => e.StreamVersion));
        Assert.All(delivered, e => Assert.Equal("target", e.StreamId));
    }

    [Fact]
    public async Task Stream_subscription_waits_for_a_stream_that_does_not_exist_yet()
    {
        await using var store = await NewStoreAsync();
        var task = TakeAsync(ct => store.SubscribeToStreamAsync("later", 0, ct), 2);
        var events = TestData.Many(2);
        await store.AppendEventsAsync("later", ExpectedVersion.NoStream, events);
        Assert.Equal(events.Select(e => e.EventId), (await task).Select(e => e.EventId));
    }

    [Fact]
    public async Task A_slow_subscriber_loses_nothing()
    {
        await using var store = await NewStoreAsync(new EventStoreOptions { ReadPageSize = 16 });
        var written = new List<EventData>();
        var writer = Task.Run(async () =>
        {
            for (var i = 0; i < 60; i++)
            {
                var events = TestData.Many(5);
                await store.AppendEventsAsync($"s-{i % 5}", ExpectedVersion.Any, events);
                lock (written)
                {
                    written.AddRange(events);
                }
            }
        }, Ct);
        var delivered = await TakeAsync(ct => store.SubscribeToAllAsync(0, null, ct), 300, async e =>
        {
            // The consumer takes real time per event while the writer runs ahead of it.
            if (e.StreamVersion % 7 == 0)
            {
                await Task.Delay(1, Ct);
            }
        });
        await writer;
        AssertExactlyOnceInOrder(written, delivered);
    }

    [Fact]
    public async Task Cancellation_ends_a_live_enumeration_promptly()
    {
        await using var store = await NewStoreAsync();
        await store.AppendEventsAsync("a", ExpectedVersion.NoStream, TestData.Many(2));
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        var received = 0;
        var caughtUp = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var consumer = Task.Run(async () =>
        {
            await foreach (var e in store.SubscribeToAllAsync(0, null, cts.Token))
            {
                if (++received == 2)
                {
                    caughtUp.SetResult();
                }
            }
        }, Ct);
        await caughtUp.Task.WaitAsync(Patience, Ct);
        var started = System.Diagnostics.Stopwatch.StartNew();
        await cts.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => consumer.WaitAsync(Patience, Ct));
        // No event arrives after the cancellation, so a wait that ignored it would last until the Patience deadline;
        // the bound is a third of that so a busy machine's scheduling delays never decide the outcome.
        Assert.True(started.Elapsed < Patience / 3, $"the enumeration ended {started.Elapsed.TotalMilliseconds:N0} ms after cancellation");
        Assert.Equal(2, received);
    }

    [Fact]
    public async Task A_consumer_killed_mid_way_restarts_from_its_checkpoint_losing_nothing()
    {
        await using var store = await NewStoreAsync(new EventStoreOptions { ReadPageSize = 8 });
        var written = await WriteAsync(store, "k-", 10, 10);
        var checkpoints = store.GetCheckpointStore();
        var handled = new List<RecordedEvent>();

        // First run: saves its checkpoint after every 10th event, and is killed after 35 without saving again.
        await TakeAsync(ct => store.SubscribeToAllAsync(0, null, ct), 35, async e =>
        {
            handled.Add(e);
            if (handled.Count % 10 == 0)
            {
                await checkpoints.SaveCheckpointAsync("killed", e.Position, Ct);
            }
        });
        var saved = await checkpoints.LoadCheckpointAsync("killed", Ct);
        Assert.Equal(handled[29].Position, saved);

        var more = await WriteAsync(store, "k-late-", 2, 5);
        var second = await TakeAsync(ct => store.SubscribeToAllAsync(saved!.Value, null, ct), 100 - 30 + 10);
        Assert.All(second, e => Assert.True(e.Position > saved!.Value));
        var union = handled.Concat(second).Select(e => e.EventId).Distinct().ToList();
        Assert.Equal(written.Concat(more).Select(e => e.EventId).Order(), union.Order());

        // Duplicates are exactly the events after the checkpoint that the killed run had handled.
        var duplicates = handled.Select(e => e.EventId).Intersect(second.Select(e => e.EventId)).ToList();
        Assert.Equal(handled.Skip(30).Select(e => e.EventId), duplicates);
    }
}
