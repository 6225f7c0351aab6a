using Eventuali.InMemory;
using Eventuali.Streaming;

namespace Eventuali.Core.Tests.Streaming;

/// <summary>Events, bounded waits and store-backed publishing for the streamer tests.</summary>
internal static class StreamerTestKit
{
    // Generous: only a hang should reach it, never a slow or busy machine.
    public static readonly TimeSpan Deadline = TimeSpan.FromSeconds(60);

    public static CancellationToken Ct => TestContext.Current.CancellationToken;

    public static RecordedEvent Event(long position, string streamId = "order-1", string type = "Placed")
        => new(streamId, position, position, Guid.CreateVersion7(), type, new byte[] { 1, 2, 3 }, EventMetadata.Empty, DateTimeOffset.UnixEpoch, ContentTypes.Json);

    public static RecordedEvent[] Events(long fromPosition, int count, Func<long, string>? type = null, Func<long, string>? stream = null)
        => Enumerable.Range(0, count).Select(i => fromPosition + i)
            .Select(p => Event(p, stream?.Invoke(p) ?? "order-1", type?.Invoke(p) ?? "Placed")).ToArray();

    /// <summary>Fails the test if the task does not finish within the deadline.</summary>
    public static Task<T> Within<T>(Task<T> task) => task.WaitAsync(Deadline, Ct);

    public static Task Within(Task task) => task.WaitAsync(Deadline, Ct);

    public static Task Within(ValueTask task) => task.AsTask().WaitAsync(Deadline, Ct);

    /// <summary>Reads exactly <paramref name="count"/> events, failing at the deadline.</summary>
    public static async Task<List<RecordedEvent>> TakeAsync(IAsyncEnumerator<RecordedEvent> reader, int count)
    {
        var got = new List<RecordedEvent>(count);
        while (got.Count < count)
        {
            Assert.True(await Within(reader.MoveNextAsync().AsTask()), $"The subscription ended after {got.Count} of {count} events.");
            got.Add(reader.Current);
        }

        return got;
    }

    /// <summary>Reads until the subscription ends, failing at the deadline.</summary>
    public static async Task<List<RecordedEvent>> ReadToEndAsync(IAsyncEnumerable<RecordedEvent> subscription)
    {
        var got = new List<RecordedEvent>();
        await foreach (var e in subscription.WithCancellation(Ct))
        {
            got.Add(e);
        }

        return got;
    }

    public static void AssertPositions(IEnumerable<long> expected, IEnumerable<RecordedEvent> actual)
        => Assert.Equal(expected.ToArray(), actual.Select(e => e.Position).ToArray());

    /// <summary>Appends <paramref name="count"/> events to the store, then publishes exactly what was committed (as the post-commit feed would).</summary>
    public static async Task<RecordedEvent[]> AppendAndPublishAsync(InMemoryEventStore store, EventStreamer streamer, string streamId, int count, Func<int, string>? type = null)
    {
        var head = await store.GetHeadPositionAsync(Ct);
        var data = Enumerable.Range(0, count).Select(i => EventData.Json(type?.Invoke(i) ?? "Placed", $$"""{"n":{{i}}}""")).ToArray();
        await store.AppendAsync(streamId, ExpectedVersion.Any, data, Ct);
        var committed = await store.ReadAllAsync(head + 1, cancellationToken: Ct).ToArrayAsync(Ct);
        await Within(streamer.PublishAsync(committed, Ct));
        return committed;
    }
}
