using Eventuali.Streaming;
using static Eventuali.Core.Tests.Streaming.StreamerTestKit;

namespace Eventuali.Core.Tests.Streaming;

public sealed class FailAndStopTests
{
    [Fact]
    public async Task Fail_policy_delivers_what_was_buffered_then_ends_naming_the_subscriber_and_the_gap()
    {
        await using var streamer = new EventStreamer();
        await using var failing = streamer.Subscribe(new() { Name = "audit-log", Policy = SlowSubscriberPolicy.Fail, BufferCapacity = 2 });

        // The publisher never waits for it: all three publishes complete at once.
        await Within(streamer.PublishAsync(Events(1, 4), Ct));
        await Within(streamer.PublishAsync(Events(5, 4), Ct));
        await Within(streamer.PublishAsync(Events(9, 4), Ct));
        Assert.Equal(0, streamer.SubscriberCount);

        var reader = failing.GetAsyncEnumerator(Ct);
        AssertPositions(Enumerable.Range(1, 8).Select(p => (long)p), await TakeAsync(reader, 8));
        var error = await Assert.ThrowsAsync<SubscriberOverflowException>(() => Within(reader.MoveNextAsync().AsTask()));
        Assert.Equal("audit-log", error.SubscriptionName);
        Assert.Equal(8, error.LastPosition);
        Assert.Equal(12, error.PublishedPosition);
        Assert.Contains("'audit-log'", error.Message, StringComparison.Ordinal);
        Assert.Contains("9..12", error.Message, StringComparison.Ordinal);
        Assert.Contains("2 of 2 batches, 8 events waiting", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Cancelling_the_enumeration_mid_stream_stops_it_and_frees_its_buffer()
    {
        await using var streamer = new EventStreamer();
        var subscription = streamer.Subscribe(new() { BufferCapacity = 8 });
        await streamer.PublishAsync(Events(1, 10), Ct);
        await streamer.PublishAsync(Events(11, 10), Ct);

        using var cts = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        var got = new List<long>();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () =>
        {
            await foreach (var e in subscription.WithCancellation(cts.Token))
            {
                got.Add(e.Position);
                if (e.Position == 5)
                {
                    await cts.CancelAsync();
                }
            }
        });

        Assert.Equal([1, 2, 3, 4, 5], got);
        Assert.Equal(0, streamer.SubscriberCount);
        Assert.Equal(0, subscription.BufferedBatches);

        // A back-pressure subscriber that is gone no longer holds the publisher back.
        for (var p = 21; p < 221; p += 10)
        {
            await Within(streamer.PublishAsync(Events(p, 10), Ct));
        }
    }

    [Fact]
    public async Task Disposing_a_subscription_from_elsewhere_ends_a_waiting_enumeration()
    {
        await using var streamer = new EventStreamer();
        var subscription = streamer.Subscribe(new() { BufferCapacity = 4 });
        await streamer.PublishAsync(Events(1, 3), Ct);
        var reader = subscription.GetAsyncEnumerator(Ct);
        AssertPositions([1, 2, 3], await TakeAsync(reader, 3));

        var waiting = reader.MoveNextAsync().AsTask();
        Assert.False(waiting.IsCompleted);
        await subscription.DisposeAsync();
        Assert.False(await Within(waiting));
        Assert.Equal(0, streamer.SubscriberCount);
        await reader.DisposeAsync();
        Assert.Throws<InvalidOperationException>(() => subscription.GetAsyncEnumerator(Ct));
    }

    [Fact]
    public async Task Disposing_a_handler_subscription_stops_its_loop()
    {
        await using var streamer = new EventStreamer();
        var seen = 0;
        var handled = streamer.Subscribe(null, (_, _) =>
        {
            Interlocked.Increment(ref seen);
            return ValueTask.CompletedTask;
        });
        await streamer.PublishAsync(Events(1, 10), Ct);
        await Within(handled.DisposeAsync());
        Assert.True(handled.Completion.IsCompleted);
        Assert.Equal(0, streamer.SubscriberCount);
        var before = Volatile.Read(ref seen);
        Assert.InRange(before, 0, 10);
        await streamer.PublishAsync(Events(11, 10), Ct);
        Assert.Equal(before, Volatile.Read(ref seen));
    }

    [Fact]
    public async Task Disposing_the_streamer_ends_subscriptions_after_they_drain_and_refuses_more()
    {
        var streamer = new EventStreamer();
        var subscription = streamer.Subscribe();
        await streamer.PublishAsync(Events(1, 6), Ct);
        await streamer.DisposeAsync();

        AssertPositions([1, 2, 3, 4, 5, 6], await Within(ReadToEndAsync(subscription)));
        await Assert.ThrowsAsync<ObjectDisposedException>(() => streamer.PublishAsync(Events(7, 1), Ct).AsTask());
        Assert.Throws<ObjectDisposedException>(() => streamer.Subscribe());
    }
}
