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
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        cts.CancelAfter(TimeSpan.FromMinutes(2));
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
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        cts.CancelAfter(TimeSpan.FromMinutes(2));
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
