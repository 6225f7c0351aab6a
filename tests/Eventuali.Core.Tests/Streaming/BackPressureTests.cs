using Eventuali.Streaming;
using static Eventuali.Core.Tests.Streaming.StreamerTestKit;

namespace Eventuali.Core.Tests.Streaming;

public sealed class BackPressureTests
{
    [Fact]
    public async Task A_stalled_subscriber_blocks_the_publisher_until_it_reads()
    {
        await using var streamer = new EventStreamer();
        await using var stalled = streamer.Subscribe(new() { Name = "stalled", BufferCapacity = 2 });
        await using var fast = streamer.Subscribe(new() { Name = "fast", BufferCapacity = 100 });

        await Within(streamer.PublishAsync(Events(1, 10), Ct));
        await Within(streamer.PublishAsync(Events(11, 10), Ct));
        Assert.Equal(2, stalled.BufferedBatches);

        // The buffer is full and nobody reads it: this publish cannot complete, whatever the timing.
        var blocked = streamer.PublishAsync(Events(21, 10), Ct).AsTask();
        Assert.False(blocked.IsCompleted);
        var queued = streamer.PublishAsync(Events(31, 10), Ct).AsTask();
        Assert.False(queued.IsCompleted);
        Assert.Equal(30, streamer.PublishedPosition); // handed to the fan-out, waiting for room

        // Reading one batch makes room: the blocked publish and the one queued behind it complete, in order.
        await using var reader = stalled.GetAsyncEnumerator(Ct);
        AssertPositions(Enumerable.Range(1, 10).Select(p => (long)p), await TakeAsync(reader, 10));
        await Within(blocked);
        AssertPositions(Enumerable.Range(11, 20).Select(p => (long)p), await TakeAsync(reader, 20));
        await Within(queued);
        AssertPositions(Enumerable.Range(31, 10).Select(p => (long)p), await TakeAsync(reader, 10));

        await using var fastReader = fast.GetAsyncEnumerator(Ct);
        AssertPositions(Enumerable.Range(1, 40).Select(p => (long)p), await TakeAsync(fastReader, 40));
    }

    [Fact]
    public async Task A_slow_reader_under_back_pressure_gets_everything_in_order()
    {
        await using var streamer = new EventStreamer();
        await using var slow = streamer.Subscribe(new() { BufferCapacity = 1 });
        var reading = Task.Run(async () =>
        {
            var got = new List<RecordedEvent>();
            await foreach (var e in slow.WithCancellation(Ct))
            {
                got.Add(e);
                if (got.Count % 16 == 0)
                {
                    await Task.Yield();
                }
            }

            return got;
        }, Ct);

        for (var p = 1; p <= 5000; p += 25)
        {
            await Within(streamer.PublishAsync(Events(p, 25), Ct));
        }

        await streamer.DisposeAsync();
        AssertPositions(Enumerable.Range(1, 5000).Select(p => (long)p), await Within(reading));
    }

    [Fact]
    public async Task Cancelling_a_blocked_publish_ends_the_subscriber_that_missed_the_batch_with_an_error()
    {
        await using var streamer = new EventStreamer();
        await using var stalled = streamer.Subscribe(new() { Name = "stalled", BufferCapacity = 1 });
        await using var other = streamer.Subscribe(new() { Name = "other", BufferCapacity = 10 });
        await streamer.PublishAsync(Events(1, 5), Ct);

        using var cts = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        var blocked = streamer.PublishAsync(Events(6, 5), cts.Token).AsTask();
        Assert.False(blocked.IsCompleted);
        await cts.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Within(blocked));

        // The stalled subscriber gets what it had, then a clear error instead of a silent gap.
        var reader = stalled.GetAsyncEnumerator(Ct);
        AssertPositions([1, 2, 3, 4, 5], await TakeAsync(reader, 5));
        var error = await Assert.ThrowsAsync<SubscriberOverflowException>(() => Within(reader.MoveNextAsync().AsTask()));
        Assert.Equal("stalled", error.SubscriptionName);
        Assert.Equal(5, error.LastPosition);
        Assert.Contains("6..10", error.Message, StringComparison.Ordinal);
        Assert.Contains("cancelled", error.Message, StringComparison.Ordinal);

        // The other subscriber had room and got the batch; publishing goes on.
        await streamer.PublishAsync(Events(11, 5), Ct);
        await using var otherReader = other.GetAsyncEnumerator(Ct);
        AssertPositions(Enumerable.Range(1, 15).Select(p => (long)p), await TakeAsync(otherReader, 15));
        Assert.Equal(1, streamer.SubscriberCount);
    }
}
