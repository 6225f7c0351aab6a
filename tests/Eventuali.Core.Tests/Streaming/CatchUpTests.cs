using Eventuali.InMemory;
using Eventuali.Streaming;
using static Eventuali.Core.Tests.Streaming.StreamerTestKit;

namespace Eventuali.Core.Tests.Streaming;

public sealed class CatchUpTests
{
    private static StreamSubscriptionOptions CatchUp(int capacity = 2, EventFilter? filter = null)
        => new() { Name = "lagger", Policy = SlowSubscriberPolicy.CatchUpFromStore, BufferCapacity = capacity, Filter = filter };

    [Fact]
    public async Task A_stalled_subscriber_with_a_tiny_buffer_gets_every_event_exactly_once_in_order()
    {
        await using var store = new InMemoryEventStore();
        await using var streamer = new EventStreamer(store);
        await using var lagger = streamer.Subscribe(CatchUp());
        await using var live = streamer.Subscribe(new() { BufferCapacity = 10_000 });

        // Thousands of events in hundreds of commits; the publisher never waits for the stalled subscriber.
        for (var i = 0; i < 300; i++)
        {
            await AppendAndPublishAsync(store, streamer, $"order-{i % 17}", 1 + (i % 20));
        }

        var total = (int)await store.GetHeadPositionAsync(Ct);
        Assert.True(total > 3000, $"only {total} events");
        Assert.True(lagger.IsLagging);
        Assert.Equal(2, lagger.BufferedBatches);

        // It resumes: buffered batches, then the store, then live again; more events arrive meanwhile.
        await using var reader = lagger.GetAsyncEnumerator(Ct);
        var got = await TakeAsync(reader, 500);
        for (var i = 0; i < 50; i++)
        {
            await AppendAndPublishAsync(store, streamer, "late-1", 7);
        }

        var finalHead = (int)await store.GetHeadPositionAsync(Ct);
        got.AddRange(await TakeAsync(reader, finalHead - 500));
        AssertPositions(Enumerable.Range(1, finalHead).Select(p => (long)p), got);
        Assert.False(lagger.IsLagging);

        // Back on the live feed: the next publish arrives through the buffer, once.
        await AppendAndPublishAsync(store, streamer, "order-1", 3);
        AssertPositions([finalHead + 1, finalHead + 2, finalHead + 3], await TakeAsync(reader, 3));
        await streamer.DisposeAsync();
        Assert.False(await Within(reader.MoveNextAsync().AsTask()));
    }

    [Fact]
    public async Task Catching_up_applies_the_filter_and_the_predicate()
    {
        await using var store = new InMemoryEventStore();
        await using var streamer = new EventStreamer(store);
        var options = CatchUp(filter: EventFilter.ForEventTypes("Shipped")) with { Predicate = e => e.StreamId != "order-3" };
        await using var lagger = streamer.Subscribe(options);
        var published = new List<RecordedEvent>();
        for (var i = 0; i < 200; i++)
        {
            published.AddRange(await AppendAndPublishAsync(store, streamer, $"order-{i % 5}", 5, n => n % 2 == 0 ? "Shipped" : "Placed"));
        }

        Assert.True(lagger.IsLagging);
        await streamer.DisposeAsync();
        var got = await Within(ReadToEndAsync(lagger));
        AssertPositions(published.Where(e => e.EventType == "Shipped" && e.StreamId != "order-3").Select(e => e.Position), got);
    }

    [Fact]
    public async Task A_reader_racing_the_publisher_loses_nothing_and_duplicates_nothing_at_the_seams()
    {
        await using var store = new InMemoryEventStore();
        await using var streamer = new EventStreamer(store);
        await using var lagger = streamer.Subscribe(CatchUp(capacity: 1));
        using var atGate = new SemaphoreSlim(0);
        using var gate = new SemaphoreSlim(0);
        var reading = Task.Run(async () =>
        {
            var got = new List<RecordedEvent>();
            await foreach (var e in lagger.WithCancellation(Ct))
            {
                got.Add(e);
                if (got.Count % 100 == 0)
                {
                    // Pause now and then so the publisher overruns the buffer; otherwise race freely.
                    atGate.Release();
                    await gate.WaitAsync(Ct);
                }
                else if (got.Count % 7 == 0)
                {
                    await Task.Yield();
                }
            }

            return got;
        }, Ct);

        var lagsSeen = 0;
        for (var i = 1; i <= 1500; i++)
        {
            await AppendAndPublishAsync(store, streamer, $"s-{i % 11}", 1 + (i % 4));
            lagsSeen += lagger.IsLagging ? 1 : 0;
            if (i % 20 == 0 && atGate.Wait(0, Ct))
            {
                // The reader is parked: three more commits overrun its one-batch buffer for sure.
                for (var j = 0; j < 3; j++)
                {
                    await AppendAndPublishAsync(store, streamer, "s-x", 2);
                }

                Assert.True(lagger.IsLagging);
                lagsSeen++;
                gate.Release();
            }
        }

        var head = await store.GetHeadPositionAsync(Ct);
        await streamer.DisposeAsync();
        gate.Release(1000);
        AssertPositions(Enumerable.Range(1, (int)head).Select(p => (long)p), await Within(reading));
        Assert.True(lagsSeen >= 1, $"the subscriber was seen lagging {lagsSeen} times");
    }

    [Fact]
    public async Task Catching_up_from_a_store_that_lacks_the_published_events_fails_clearly()
    {
        await using var store = new InMemoryEventStore();
        await using var streamer = new EventStreamer(store);
        await using var lagger = streamer.Subscribe(CatchUp(capacity: 1));
        await streamer.PublishAsync(Events(1, 3), Ct);
        await streamer.PublishAsync(Events(4, 3), Ct);
        Assert.True(lagger.IsLagging);

        await using var reader = lagger.GetAsyncEnumerator(Ct);
        AssertPositions([1, 2, 3], await TakeAsync(reader, 3));
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => Within(reader.MoveNextAsync().AsTask()));
        Assert.Contains("'lagger'", error.Message, StringComparison.Ordinal);
        Assert.Contains("after the append commits", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void CatchUpFromStore_needs_a_store()
    {
        var streamer = new EventStreamer();
        var error = Assert.Throws<ArgumentException>(() => streamer.Subscribe(CatchUp()));
        Assert.Contains("CatchUpFromStore", error.Message, StringComparison.Ordinal);
    }
}
