using Eventuali.InMemory;
using Eventuali.Server.Endpoints;

namespace Eventuali.Server.Tests;

/// <summary>The live subscription SSE connections share: every event once, in order, across joins, switches and overruns.</summary>
public sealed class LiveTailTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Connections_from_the_head_and_from_the_start_each_get_every_event_once_in_order()
    {
        await using var store = new InMemoryEventStore();
        await AppendAsync(store, "old", 30); // before the shared subscription starts: read by a subscription of its own
        await using var tail = new LiveTail(store, capacity: 64);
        using var cts = Deadline();
        var head = await store.GetHeadPositionAsync(Ct);

        var fromHead = Enumerable.Range(0, 3).Select(_ => CollectAsync(tail.SubscribeAsync(head, null, cts.Token), 100)).ToList();
        var fromStart = CollectAsync(tail.SubscribeAsync(0, null, cts.Token), 130);
        var filtered = CollectAsync(tail.SubscribeAsync(0, EventFilter.ForCategory("new-1"), cts.Token), 25);
        for (var i = 0; i < 4; i++)
        {
            await AppendAsync(store, $"new-{i}", 25);
        }

        var all = await store.ReadAllAsync(cancellationToken: Ct).Select(e => e.Position).ToListAsync(Ct);
        foreach (var connection in fromHead)
        {
            Assert.Equal(all.Skip(30), await connection);
        }

        Assert.Equal(all, await fromStart);
        var onlyNew1 = await store.ReadAllAsync(filter: EventFilter.ForCategory("new-1"), cancellationToken: Ct).Select(e => e.Position).ToListAsync(Ct);
        Assert.Equal(onlyNew1, await filtered);
    }

    [Theory]
    [InlineData(8, long.MaxValue)] // kept: 8 events
    [InlineData(1_000, 2_000)] // kept: as many as fit in 2,000 bytes (7 of these)
    public async Task A_connection_that_falls_behind_the_kept_events_continues_from_its_own_subscription_without_a_gap(int capacity, long maxBytes)
    {
        await using var store = new InMemoryEventStore();
        await using var tail = new LiveTail(store, capacity, maxBytes);
        using var cts = Deadline();
        var events = tail.SubscribeAsync(0, null, cts.Token).GetAsyncEnumerator(cts.Token);
        await using var _ = events;
        var next = events.MoveNextAsync(); // joins the shared subscription at the empty head
        await AppendAsync(store, "a", 3);
        Assert.True(await next);
        var seen = new List<long> { events.Current.Position };

        // 200 more while this connection reads nothing: the shared subscription keeps only the newest few.
        for (var i = 0; i < 40; i++)
        {
            await AppendAsync(store, $"b-{i}", 5);
        }

        // The shared subscription has taken them all, so the kept ones are far past this connection's place.
        while (tail.Taken < 203)
        {
            await Task.Delay(10, cts.Token);
        }

        while (seen.Count < 203 && await events.MoveNextAsync())
        {
            seen.Add(events.Current.Position);
        }

        Assert.Equal(await store.ReadAllAsync(cancellationToken: Ct).Select(e => e.Position).ToListAsync(Ct), seen);
    }

    [Fact]
    public async Task A_shared_subscription_that_cannot_start_leaves_connections_reading_on_their_own_and_the_next_connection_starts_it()
    {
        await using var store = new FlakyStore();
        await using var tail = new LiveTail(store, capacity: 64);
        using var cts = Deadline();
        store.FailHeads(1); // the first start of the shared subscription fails

        var first = CollectAsync(tail.SubscribeAsync(0, null, cts.Token), 20);
        await AppendAsync(store.Inner, "a", 10);
        var second = CollectAsync(tail.SubscribeAsync(10, null, cts.Token), 10);
        await UntilAsync(() => tail.Generation == 1, cts.Token); // started, by the second connection
        await AppendAsync(store.Inner, "b", 10);

        Assert.Equal(Enumerable.Range(1, 20).Select(i => (long)i), await first);
        Assert.Equal(Enumerable.Range(11, 10).Select(i => (long)i), await second);
        await UntilAsync(() => tail.Taken == 10, cts.Token); // the shared subscription took what came after it started
    }

    [Fact]
    public async Task When_the_shared_subscription_fails_its_readers_continue_on_their_own_without_a_gap_and_it_starts_again()
    {
        await using var store = new FlakyStore();
        await using var tail = new LiveTail(store, capacity: 64);
        using var cts = Deadline();
        var events = tail.SubscribeAsync(0, null, cts.Token).GetAsyncEnumerator(cts.Token);
        await using var _ = events;
        var seen = new List<long>();
        var next = events.MoveNextAsync(); // joins the shared subscription at the empty head
        await AppendAsync(store.Inner, "a", 5);
        await ReadAsync(next, 5);
        Assert.Equal(5, tail.Taken); // this connection read them from the shared subscription

        store.FailReads(1); // the shared subscription's next read of the log fails, for good
        await AppendAsync(store.Inner, "b", 5);
        await ReadAsync(events.MoveNextAsync(), 5);
        await UntilAsync(() => tail.Generation == 2, cts.Token); // started again, by the connection falling back
        await AppendAsync(store.Inner, "c", 5);
        await ReadAsync(events.MoveNextAsync(), 5);

        Assert.Equal(Enumerable.Range(1, 15).Select(i => (long)i), seen);
        await UntilAsync(() => tail.Taken >= 10, cts.Token); // the new shared subscription took the last five

        async Task ReadAsync(ValueTask<bool> first, int count)
        {
            Assert.True(await first);
            seen.Add(events.Current.Position);
            for (var i = 1; i < count; i++)
            {
                Assert.True(await events.MoveNextAsync());
                seen.Add(events.Current.Position);
            }
        }
    }

    [Fact]
    public async Task A_connection_that_joins_before_the_shared_subscription_has_taken_what_it_read_on_its_own_gets_each_event_once()
    {
        await using var store = new FlakyStore();
        await using var tail = new LiveTail(store, capacity: 64);
        using var cts = Deadline();
        store.MarkConnectionFlow();
        store.FailHeads(1); // the connection reads on its own: the shared subscription could not start
        var events = tail.SubscribeAsync(0, null, cts.Token).GetAsyncEnumerator(cts.Token);
        await using var _ = events;
        await AppendAsync(store.Inner, "a", 10);
        var seen = new List<long>();
        await ReadAsync(10);
        var eleventh = events.MoveNextAsync().AsTask(); // waits for the next event inside its own subscription

        // Another connection starts the shared subscription at position 10, whose reads then wait.
        var release = store.HoldSharedReads();
        var other = tail.SubscribeAsync(10, null, cts.Token).GetAsyncEnumerator(cts.Token);
        await using var __ = other;
        var otherNext = other.MoveNextAsync().AsTask();
        await UntilAsync(() => tail.Generation == 1, cts.Token);
        await AppendAsync(store.Inner, "b", 10);

        // The first connection reads 11 on its own, then joins the ring, which does not hold 11 yet.
        Assert.True(await eleventh);
        seen.Add(events.Current.Position);
        var pending = events.MoveNextAsync().AsTask();
        release.SetResult();
        Assert.True(await pending);
        seen.Add(events.Current.Position);
        await ReadAsync(8);

        Assert.Equal(Enumerable.Range(1, 20).Select(i => (long)i), seen);
        Assert.True(await otherNext);
        Assert.Equal(11, other.Current.Position);

        async Task ReadAsync(int count)
        {
            for (var i = 0; i < count; i++)
            {
                Assert.True(await events.MoveNextAsync());
                seen.Add(events.Current.Position);
            }
        }
    }

    // A generous bound on each test, so a lost event fails it instead of hanging the run.
    private static CancellationTokenSource Deadline()
    {
        var cts = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        cts.CancelAfter(TimeSpan.FromMinutes(2));
        return cts;
    }

    private static async Task UntilAsync(Func<bool> condition, CancellationToken cancellationToken)
    {
        while (!condition())
        {
            await Task.Delay(10, cancellationToken);
        }
    }

    private static async Task AppendAsync(InMemoryEventStore store, string stream, int count)
        => await store.AppendAsync(stream, ExpectedVersion.Any, [.. Enumerable.Range(0, count).Select(i => new EventData(EventData.NewEventId(), "Tick", System.Text.Encoding.UTF8.GetBytes($"{{\"i\":{i}}}")))], Ct);

    private static async Task<List<long>> CollectAsync(IAsyncEnumerable<RecordedEvent> events, int count)
    {
        var positions = new List<long>();
        await foreach (var e in events)
        {
            positions.Add(e.Position);
            if (positions.Count == count)
            {
                break;
            }
        }

        return positions;
    }
}
