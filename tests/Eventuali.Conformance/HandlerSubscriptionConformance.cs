using Eventuali.Subscriptions;

namespace Eventuali.Conformance;

/// <summary>
/// Handler-based subscriptions: start from the stored checkpoint, save it as configured, stop cleanly on
/// cancellation, and stop loudly (no silent loss) when the handler throws. Every backend enrolls.
/// </summary>
public abstract class HandlerSubscriptionConformance<TFixture>(TFixture fixture) : ConformanceBase<TFixture>(fixture), IClassFixture<TFixture>
    where TFixture : class, IStoreFixture
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    private static async Task UntilAsync(Func<bool> condition, string what)
    {
        var deadline = DateTime.UtcNow + Patience;
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, $"timed out waiting until {what}");
            await Task.Delay(5, Ct);
        }
    }

    private static async Task<List<EventData>> WriteAsync(IEventStore store, string stream, int count)
    {
        var events = TestData.Many(count);
        await store.AppendEventsAsync(stream, ExpectedVersion.Any, events);
        return [.. events];
    }

    [Fact]
    public async Task Handles_in_order_goes_live_and_saves_its_checkpoint_when_stopped()
    {
        await using var store = await NewStoreAsync();
        var written = await WriteAsync(store, "h-1", 20);
        var handled = new List<RecordedEvent>();
        var subscription = store.StartSubscription(new SubscriptionOptions { Name = "live-one" }, (e, _) =>
        {
            lock (handled)
            {
                handled.Add(e);
            }

            return ValueTask.CompletedTask;
        }, Ct);
        await UntilAsync(() => subscription.Status.IsLive && handled.Count == 20, "caught up");
        written.AddRange(await WriteAsync(store, "h-2", 5));
        await UntilAsync(() => handled.Count == 25, "the live events arrived");
        await subscription.StopAsync();
        await subscription; // a clean stop completes without error

        var status = subscription.Status;
        Assert.Equal(SubscriptionState.Stopped, status.State);
        Assert.Equal(25, status.EventsHandled);
        Assert.Equal(handled[^1].Position, status.Position);
        Assert.Equal(handled[^1].Position, status.CheckpointPosition);
        Assert.Equal(handled[^1].Position, await store.GetCheckpointStore().LoadCheckpointAsync("live-one", Ct));
        Assert.Equal(written.Select(e => e.EventId), handled.Select(e => e.EventId));
        TestData.AssertStrictlyIncreasing(handled);
    }

    [Fact]
    public async Task A_restart_continues_after_the_stored_checkpoint()
    {
        await using var store = await NewStoreAsync();
        await WriteAsync(store, "r", 10);
        var first = 0;
        await using (var run = store.StartSubscription(new SubscriptionOptions { Name = "restart" }, (_, _) => { Interlocked.Increment(ref first); return ValueTask.CompletedTask; }, Ct))
        {
            await UntilAsync(() => run.Status.IsLive && Volatile.Read(ref first) == 10, "first run caught up");
        }

        var later = await WriteAsync(store, "r", 5);
        var second = new List<RecordedEvent>();
        await using var again = store.StartSubscription(new SubscriptionOptions { Name = "restart" }, (e, _) => { lock (second) { second.Add(e); } return ValueTask.CompletedTask; }, Ct);
        await UntilAsync(() => again.Status.IsLive && second.Count >= 5, "second run caught up");
        Assert.Equal(later.Select(e => e.EventId), second.Select(e => e.EventId));
    }

    [Fact]
    public async Task The_checkpoint_is_saved_every_n_events()
    {
        await using var store = await NewStoreAsync();
        await WriteAsync(store, "n", 30);
        var checkpoints = store.GetCheckpointStore();
        var seen = new List<(long Position, long? Checkpoint)>();
        var options = new SubscriptionOptions { Name = "every-ten", CheckpointEvery = 10, CheckpointInterval = Timeout.InfiniteTimeSpan };
        await using var subscription = store.StartSubscription(options, async (e, ct) =>
        {
            seen.Add((e.Position, await checkpoints.LoadCheckpointAsync("every-ten", ct)));
        }, Ct);
        await UntilAsync(() => subscription.Status.IsLive, "caught up");
        await subscription.StopAsync();

        // While handling event k (1-based), the stored checkpoint is the position of event 10 * floor((k-1)/10).
        for (var k = 1; k <= 30; k++)
        {
            var saved = (k - 1) / 10 * 10;
            Assert.Equal(saved == 0 ? null : seen[saved - 1].Position, seen[k - 1].Checkpoint);
        }

        Assert.Equal(seen[^1].Position, await checkpoints.LoadCheckpointAsync("every-ten", Ct));
    }

    [Fact]
    public async Task A_handler_exception_stops_the_subscription_and_surfaces_the_error()
    {
        await using var store = await NewStoreAsync();
        await WriteAsync(store, "f", 10);
        var all = await store.ReadAllListAsync();
        var handled = new List<RecordedEvent>();
        var subscription = store.StartSubscription(new SubscriptionOptions { Name = "fails" }, (e, _) =>
        {
            if (e.StreamVersion == 7)
            {
                throw new InvalidOperationException("cannot handle seven");
            }

            handled.Add(e);
            return ValueTask.CompletedTask;
        }, Ct);
        var error = await Assert.ThrowsAsync<SubscriptionFailedException>(async () => await subscription.Completion.WaitAsync(Patience, Ct));
        Assert.IsType<InvalidOperationException>(error.InnerException);
        Assert.Equal(all[6].EventId, error.FailedEvent?.EventId);
        Assert.Contains("'fails'", error.Message, StringComparison.Ordinal);
        Assert.Contains("cannot handle seven", error.Message, StringComparison.Ordinal);
        Assert.Equal(SubscriptionState.Faulted, subscription.Status.State);
        Assert.IsType<InvalidOperationException>(subscription.Status.Error);
        Assert.Equal(6, handled.Count);

        // Nothing after the failing event was handled, and its checkpoint stops just before it.
        Assert.Equal(all[5].Position, await store.GetCheckpointStore().LoadCheckpointAsync("fails", Ct));
        await subscription.DisposeAsync();

        var retried = new List<RecordedEvent>();
        await using var fixedRun = store.StartSubscription(new SubscriptionOptions { Name = "fails" }, (e, _) => { lock (retried) { retried.Add(e); } return ValueTask.CompletedTask; }, Ct);
        await UntilAsync(() => fixedRun.Status.IsLive && retried.Count == 4, "the restart redelivered the failed event");
        Assert.Equal(all.Skip(6).Select(e => e.EventId), retried.Select(e => e.EventId));
    }

    [Fact]
    public async Task Cancelling_the_start_token_stops_it_cleanly_and_promptly()
    {
        await using var store = await NewStoreAsync();
        await WriteAsync(store, "c", 3);
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        var subscription = store.StartSubscription(new SubscriptionOptions { Name = "cancelled" }, (_, _) => ValueTask.CompletedTask, cts.Token);
        await UntilAsync(() => subscription.Status.IsLive, "caught up");
        var started = System.Diagnostics.Stopwatch.StartNew();
        await cts.CancelAsync();
        await subscription.Completion.WaitAsync(Patience, Ct);
        // Nothing is appended after the cancellation, so a stop that waited for an event would hit the Patience deadline;
        // a third of it leaves a busy machine's scheduling delays out of the outcome.
        Assert.True(started.Elapsed < Patience / 3, $"stopped {started.Elapsed.TotalMilliseconds:N0} ms after cancellation");
        Assert.Equal(SubscriptionState.Stopped, subscription.Status.State);
        Assert.Equal(3, subscription.Status.EventsHandled);
        await subscription.DisposeAsync();
    }

    [Fact]
    public async Task A_stream_subscription_checkpoints_the_stream_version()
    {
        await using var store = await NewStoreAsync();
        await WriteAsync(store, "other", 4);
        var mine = await WriteAsync(store, "mine", 6);
        var handled = new List<RecordedEvent>();
        var options = new SubscriptionOptions { Name = "stream-sub", StreamId = "mine", StartAfter = 2 };
        await using (var subscription = store.StartSubscription(options, (e, _) => { lock (handled) { handled.Add(e); } return ValueTask.CompletedTask; }, Ct))
        {
            await UntilAsync(() => subscription.Status.IsLive && handled.Count == 4, "caught up");
            Assert.Equal(6, subscription.Status.Position);
            Assert.Equal(6, subscription.Status.HeadPosition);
        }

        Assert.Equal(mine.Skip(2).Select(e => e.EventId), handled.Select(e => e.EventId));
        Assert.Equal(6, await store.GetCheckpointStore().LoadCheckpointAsync("stream-sub", Ct));
    }

    [Fact]
    public async Task A_filtered_subscription_checkpoints_the_position_it_has_looked_at()
    {
        await using var store = await NewStoreAsync();
        await WriteAsync(store, "common-1", 20);
        var rare = await WriteAsync(store, "rare-1", 1);
        await WriteAsync(store, "common-2", 20);
        var head = await store.GetHeadPositionAsync(Ct);
        var handled = new List<RecordedEvent>();
        var options = new SubscriptionOptions { Name = "rare-only", Filter = EventFilter.ForCategory("rare-") };
        await using (var subscription = store.StartSubscription(options, (e, _) => { lock (handled) { handled.Add(e); } return ValueTask.CompletedTask; }, Ct))
        {
            await UntilAsync(() => subscription.Status.IsLive && handled.Count == 1, "caught up");
            Assert.Equal(head, subscription.Status.Position);
        }

        Assert.Equal(rare[0].EventId, Assert.Single(handled).EventId);
        Assert.Equal(head, await store.GetCheckpointStore().LoadCheckpointAsync("rare-only", Ct));
    }

    [Fact]
    public async Task Bad_options_are_refused_before_starting()
    {
        await using var store = await NewStoreAsync();
        Assert.ThrowsAny<ArgumentException>(() => store.StartSubscription(new SubscriptionOptions { Name = "" }, (_, _) => ValueTask.CompletedTask, Ct));
        Assert.ThrowsAny<ArgumentException>(() => store.StartSubscription(new SubscriptionOptions { Name = "x", CheckpointEvery = 0 }, (_, _) => ValueTask.CompletedTask, Ct));
        var both = Assert.ThrowsAny<ArgumentException>(() => store.StartSubscription(new SubscriptionOptions { Name = "y", StreamId = "s", Filter = EventFilter.ForCategory("a-") }, (_, _) => ValueTask.CompletedTask, Ct));
        Assert.Contains("'y'", both.Message, StringComparison.Ordinal);
    }
}
