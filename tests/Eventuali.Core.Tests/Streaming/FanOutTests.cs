using Eventuali.Streaming;
using static Eventuali.Core.Tests.Streaming.StreamerTestKit;

namespace Eventuali.Core.Tests.Streaming;

public sealed class FanOutTests
{
    [Fact]
    public async Task Every_subscriber_sees_every_event_once_in_publish_order()
    {
        await using var streamer = new EventStreamer();
        var subscriptions = Enumerable.Range(0, 3).Select(_ => streamer.Subscribe()).ToArray();
        var readers = subscriptions.Select(s => Task.Run(() => ReadToEndAsync(s), Ct)).ToArray();

        // Single events, small batches, and one batch larger than a buffer segment (it is split).
        long next = 1;
        for (var i = 0; i < 100; i++)
        {
            await Within(streamer.PublishAsync(Event(next++), Ct));
        }

        foreach (var size in new[] { 7, 1000, EventStreamer.MaxBatchSegment * 2 + 5, 3 })
        {
            await Within(streamer.PublishAsync(Events(next, size), Ct));
            next += size;
        }

        await streamer.DisposeAsync();
        foreach (var got in await Within(Task.WhenAll(readers)))
        {
            AssertPositions(Enumerable.Range(1, (int)next - 1).Select(p => (long)p), got);
        }

        Assert.Equal(next - 1, streamer.PublishedPosition);
    }

    [Fact]
    public async Task A_subscription_sees_only_events_published_after_it_was_made()
    {
        await using var streamer = new EventStreamer();
        await streamer.PublishAsync(Events(1, 10), Ct);
        await using var late = streamer.Subscribe();
        Assert.Equal(10, late.Position);
        await streamer.PublishAsync(Events(11, 5), Ct);
        await using var reader = late.GetAsyncEnumerator(Ct);
        AssertPositions([11, 12, 13, 14, 15], await TakeAsync(reader, 5));
    }

    [Fact]
    public async Task Filters_by_type_by_stream_prefix_and_by_predicate()
    {
        await using var streamer = new EventStreamer();
        await using var byType = streamer.Subscribe(new() { Filter = EventFilter.ForEventTypes("Shipped", "Cancelled") });
        await using var byPrefix = streamer.Subscribe(new() { Filter = EventFilter.ForCategory("invoice-") });
        await using var both = streamer.Subscribe(new() { Filter = new EventFilter { EventTypes = ["Shipped"], StreamIdPrefix = "order-" } });
        await using var byPredicate = streamer.Subscribe(new() { Predicate = e => e.Position % 10 == 0 });
        var readers = new[] { byType, byPrefix, both, byPredicate }.Select(s => Task.Run(() => ReadToEndAsync(s), Ct)).ToArray();

        string Type(long p) => (p % 3) switch { 0 => "Placed", 1 => "Shipped", _ => "Cancelled" };
        string Stream(long p) => p % 2 == 0 ? $"order-{p % 7}" : $"invoice-{p % 5}";
        var all = Events(1, 600, Type, Stream);
        foreach (var chunk in all.Chunk(37))
        {
            await Within(streamer.PublishAsync(chunk, Ct));
        }

        await streamer.DisposeAsync();
        var got = await Within(Task.WhenAll(readers));
        AssertPositions(all.Where(e => e.EventType is "Shipped" or "Cancelled").Select(e => e.Position), got[0]);
        AssertPositions(all.Where(e => e.StreamId.StartsWith("invoice-", StringComparison.Ordinal)).Select(e => e.Position), got[1]);
        AssertPositions(all.Where(e => e.EventType == "Shipped" && e.StreamId.StartsWith("order-", StringComparison.Ordinal)).Select(e => e.Position), got[2]);
        AssertPositions(all.Where(e => e.Position % 10 == 0).Select(e => e.Position), got[3]);
        Assert.NotEmpty(got[2]);
    }

    [Fact]
    public async Task Handler_subscription_handles_every_event_and_faults_with_the_handlers_exception()
    {
        await using var streamer = new EventStreamer();
        var handled = new List<long>();
        await using var counting = streamer.Subscribe(new() { Name = "counter" }, (e, _) =>
        {
            handled.Add(e.Position);
            return ValueTask.CompletedTask;
        });
        await using var failing = streamer.Subscribe(null, (e, _) =>
            e.Position == 3 ? throw new InvalidOperationException("handler broke at 3") : ValueTask.CompletedTask);

        await streamer.PublishAsync(Events(1, 50), Ct);
        await streamer.DisposeAsync();
        await Within(counting.Completion);
        Assert.Equal(Enumerable.Range(1, 50).Select(p => (long)p), handled);
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => Within(failing.Completion));
        Assert.Equal("handler broke at 3", error.Message);
    }
}
