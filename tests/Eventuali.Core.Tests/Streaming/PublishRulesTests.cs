using Eventuali.Streaming;
using static Eventuali.Core.Tests.Streaming.StreamerTestKit;

namespace Eventuali.Core.Tests.Streaming;

public sealed class PublishRulesTests
{
    [Fact]
    public async Task Events_out_of_position_order_are_rejected_and_nothing_of_the_batch_is_published()
    {
        await using var streamer = new EventStreamer();
        await using var subscription = streamer.Subscribe();
        await streamer.PublishAsync(Events(1, 5), Ct);

        var again = await Assert.ThrowsAsync<ArgumentException>(() => streamer.PublishAsync(Events(5, 3), Ct).AsTask());
        Assert.Contains("position 5, not above 5", again.Message, StringComparison.Ordinal);
        var unordered = await Assert.ThrowsAsync<ArgumentException>(() => streamer.PublishAsync([Event(6), Event(8), Event(7)], Ct).AsTask());
        Assert.Contains("Event 2 of the batch has position 7", unordered.Message, StringComparison.Ordinal);
        var withNull = await Assert.ThrowsAsync<ArgumentException>(() => streamer.PublishAsync([Event(6), null!], Ct).AsTask());
        Assert.Contains("Event 1 of the batch is null", withNull.Message, StringComparison.Ordinal);
        Assert.Equal(5, streamer.PublishedPosition);

        // Gaps in positions are fine (positions are not necessarily contiguous).
        await streamer.PublishAsync([Event(6), Event(9), Event(40)], Ct);
        await using var reader = subscription.GetAsyncEnumerator(Ct);
        AssertPositions([1, 2, 3, 4, 5, 6, 9, 40], await TakeAsync(reader, 8));
    }

    [Fact]
    public async Task Publishes_queued_behind_a_blocked_one_complete_in_call_order()
    {
        await using var streamer = new EventStreamer();
        await using var subscription = streamer.Subscribe(new() { BufferCapacity = 1 });
        await streamer.PublishAsync(Events(1, 2), Ct);

        var first = streamer.PublishAsync(Events(3, 2), Ct).AsTask();
        var second = streamer.PublishAsync(Events(5, 2), Ct).AsTask();
        var third = streamer.PublishAsync(Events(7, 2), Ct).AsTask();
        Assert.False(first.IsCompleted || second.IsCompleted || third.IsCompleted);

        await using var reader = subscription.GetAsyncEnumerator(Ct);
        AssertPositions(Enumerable.Range(1, 8).Select(p => (long)p), await TakeAsync(reader, 8));
        await Within(Task.WhenAll(first, second, third));
    }

    [Fact]
    public async Task Publishers_on_several_threads_are_serialized_in_call_order()
    {
        await using var streamer = new EventStreamer();
        await using var subscription = streamer.Subscribe(new() { BufferCapacity = 3 });
        var reading = Task.Run(() => ReadToEndAsync(subscription), Ct);
        var order = new Lock();
        long next = 1;
        var publishers = Enumerable.Range(0, 4).Select(_ => Task.Run(async () =>
        {
            for (var i = 0; i < 200; i++)
            {
                ValueTask publish;
                lock (order)
                {
                    // Like a store's post-commit feed: positions are taken and the call is made in commit order.
                    publish = streamer.PublishAsync(Events(next, 5), Ct);
                    next += 5;
                }

                await publish;
            }
        }, Ct)).ToArray();

        await Within(Task.WhenAll(publishers));
        await streamer.DisposeAsync();
        AssertPositions(Enumerable.Range(1, 4000).Select(p => (long)p), await Within(reading));
    }

    [Fact]
    public void Options_are_checked()
    {
        var streamer = new EventStreamer();
        Assert.Throws<ArgumentOutOfRangeException>(() => streamer.Subscribe(new() { BufferCapacity = 0 }));
        Assert.Throws<ArgumentException>(() => streamer.Subscribe(new() { Policy = (SlowSubscriberPolicy)42 }));
        Assert.Throws<ArgumentNullException>(() => streamer.Subscribe(null, null!));
        Assert.Equal("subscriber-1", streamer.Subscribe().Name);
    }
}
