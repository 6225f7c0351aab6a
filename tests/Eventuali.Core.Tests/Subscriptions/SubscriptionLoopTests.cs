using System.Runtime.CompilerServices;
using Eventuali.InMemory;
using Eventuali.Subscriptions;

namespace Eventuali.Core.Tests.Subscriptions;

/// <summary>The generic catch-up loop on a store that offers no append signal and no checkpoints.</summary>
public sealed class SubscriptionLoopTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>A store with only the base contract, counting what its log reads have produced.</summary>
    private sealed class PlainStore(IEventStore inner) : IEventStore
    {
        public long Produced;

        public EventStoreOptions Options => inner.Options;

        public ValueTask<AppendResult> AppendAsync(string streamId, ExpectedVersion expectedVersion, IReadOnlyList<EventData> events, CancellationToken cancellationToken = default)
            => inner.AppendAsync(streamId, expectedVersion, events, cancellationToken);

        public IAsyncEnumerable<RecordedEvent> ReadStreamAsync(string streamId, long fromVersion = 1, int maxCount = int.MaxValue, ReadDirection direction = ReadDirection.Forward, CancellationToken cancellationToken = default)
            => inner.ReadStreamAsync(streamId, fromVersion, maxCount, direction, cancellationToken);

        public async IAsyncEnumerable<RecordedEvent> ReadAllAsync(long fromPosition = 1, int maxCount = int.MaxValue, EventFilter? filter = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
        {
            await foreach (var e in inner.ReadAllAsync(fromPosition, maxCount, filter, cancellationToken))
            {
                Interlocked.Increment(ref Produced);
                yield return e;
            }
        }

        public ValueTask<long?> GetStreamVersionAsync(string streamId, CancellationToken cancellationToken = default) => inner.GetStreamVersionAsync(streamId, cancellationToken);

        public ValueTask<long> GetHeadPositionAsync(CancellationToken cancellationToken = default) => inner.GetHeadPositionAsync(cancellationToken);

        public ValueTask DisposeAsync() => inner.DisposeAsync();
    }

    private static EventData[] Events(int count) => [.. Enumerable.Range(0, count).Select(_ => EventData.Json("t", "{}"))];

    [Fact]
    public async Task The_loop_pulls_one_event_at_a_time_and_never_reads_ahead_of_its_consumer()
    {
        await using var store = new PlainStore(new InMemoryEventStore());
        for (var i = 0; i < 50; i++)
        {
            await store.AppendAsync($"s-{i}", ExpectedVersion.NoStream, Events(100), Ct);
        }

        long consumed = 0;
        await foreach (var e in store.SubscribeToAllAsync(0, null, Ct))
        {
            consumed++;
            Assert.Equal(consumed, Interlocked.Read(ref store.Produced)); // nothing buffered between store and consumer
            if (consumed == 5000)
            {
                break;
            }
        }
    }

    [Fact]
    public async Task A_store_without_an_append_signal_is_polled_and_still_goes_live()
    {
        await using var store = new PlainStore(new InMemoryEventStore());
        Assert.IsNotAssignableFrom<IAppendNotifications>(store);
        await store.AppendAsync("a", ExpectedVersion.NoStream, Events(2), Ct);
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        cts.CancelAfter(TimeSpan.FromSeconds(30));
        var first = new TaskCompletionSource();
        var consumer = Task.Run(async () =>
        {
            var got = new List<RecordedEvent>();
            await foreach (var e in store.SubscribeToAllAsync(0, EventFilter.ForCategory("b"), cts.Token))
            {
                got.Add(e);
                first.TrySetResult();
                if (got.Count == 3)
                {
                    break;
                }
            }

            return got;
        }, Ct);
        var early = Events(1);
        await store.AppendAsync("b-1", ExpectedVersion.NoStream, early, Ct);
        await first.Task.WaitAsync(cts.Token);
        var late = Events(2);
        await store.AppendAsync("a", ExpectedVersion.Any, Events(2), Ct);
        await store.AppendAsync("b-2", ExpectedVersion.NoStream, late, Ct);
        var delivered = await consumer;
        Assert.Equal(early.Concat(late).Select(e => e.EventId), delivered.Select(e => e.EventId));
    }

    [Fact]
    public async Task A_store_without_checkpoints_says_so()
    {
        await using var store = new PlainStore(new InMemoryEventStore());
        var error = Assert.Throws<NotSupportedException>(() => store.GetCheckpointStore());
        Assert.Contains(nameof(PlainStore), error.Message, StringComparison.Ordinal);
        Assert.Throws<NotSupportedException>(() => store.StartSubscription(new SubscriptionOptions { Name = "x" }, (_, _) => ValueTask.CompletedTask, Ct));
    }
}
