using System.Collections.Concurrent;
using System.Globalization;

namespace Eventuali.Messaging.Tests;

/// <summary>
/// The relay keeps several batches out at once: the checkpoint moves only past batches confirmed in order (never past
/// an unconfirmed one, whatever order the confirms come in), and a failed batch is published again from the oldest
/// unconfirmed batch once nothing else is out.
/// </summary>
public sealed class RelayWindowTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task The_checkpoint_stops_below_the_oldest_unconfirmed_batch_while_later_ones_confirm_first()
    {
        await using var orders = await TempStore.OpenAsync();
        await Broker.AppendAsync(orders.Store, "order-1", 50, Ct);
        var publisher = new HeldPublisher();
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        var relay = new EventRelay(orders.Store, publisher, new RelayRoute("orders") { BatchSize = 10 }, new RelayOptions { MaxBatchesInFlight = 4 });
        var running = relay.RunAsync(stop.Token);

        // Four batches out before any confirm: the window is used.
        await Broker.WaitUntilAsync(() => Task.FromResult(publisher.SentCount == 4), "four batches sent", detail: () => relay.LastError);
        Assert.Equal(4, publisher.SentCount);

        // Batches 3 and 4 confirm first, then 1; batch 2 stays out. The checkpoint may reach 10, never more.
        using var watching = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        var watch = WatchCheckpointAsync(orders.Store, 10, publisher.Violations, watching.Token);
        publisher.Confirm(2);
        publisher.Confirm(3);
        publisher.Confirm(0);

        // Batch 1's confirm frees one place: batch 5 goes out, and the checkpoint lands on batch 1's end.
        await Broker.WaitUntilAsync(async () => publisher.SentCount == 5 && await CheckpointAsync(orders.Store) == 10, "batch 5 sent and the checkpoint at 10", detail: () => relay.LastError);
        Assert.Equal(10, relay.Published);
        publisher.Confirm(4);
        Assert.Equal(10, relay.Published);
        await watching.CancelAsync();
        await watch;

        publisher.Confirm(1);
        await Broker.WaitUntilAsync(async () => await CheckpointAsync(orders.Store) == 50, "the checkpoint at the head", detail: () => relay.LastError);
        await stop.CancelAsync();
        await running;

        Assert.Empty(publisher.Violations);
        Assert.Equal(50, relay.Published);
        Assert.Equal(Enumerable.Range(1, 50).Select(p => (long)p), publisher.Positions);
    }

    [Fact]
    public async Task A_failed_batch_is_published_again_from_the_oldest_unconfirmed_once_nothing_else_is_out()
    {
        await using var orders = await TempStore.OpenAsync();
        await Broker.AppendAsync(orders.Store, "order-1", 40, Ct);
        var publisher = new HeldPublisher { AutoConfirmFrom = 4 };
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        var relay = new EventRelay(orders.Store, publisher, new RelayRoute("orders") { BatchSize = 10 }, new RelayOptions { MaxBatchesInFlight = 4, RetryDelay = TimeSpan.FromMilliseconds(10) });
        var running = relay.RunAsync(stop.Token);
        await Broker.WaitUntilAsync(() => Task.FromResult(publisher.SentCount == 4), "four batches sent", detail: () => relay.LastError);

        // Batch 2 fails, 3 confirms, then 1: the checkpoint reaches 10; batch 4 is still out, so nothing is sent again yet.
        publisher.Fail(1);
        publisher.Confirm(2);
        publisher.Confirm(0);
        await Broker.WaitUntilAsync(async () => await CheckpointAsync(orders.Store) == 10 && relay.IsPaused, "the checkpoint at 10 and the relay paused", detail: () => relay.LastError);
        Assert.Equal(4, publisher.SentCount);
        publisher.Confirm(3);

        await Broker.WaitUntilAsync(async () => await CheckpointAsync(orders.Store) == 40, "the checkpoint at the head", detail: () => relay.LastError);
        await stop.CancelAsync();
        await running;

        Assert.Empty(publisher.Violations);
        Assert.Contains("batch 2 refused", relay.LastError?.Message, StringComparison.Ordinal);
        Assert.False(relay.IsPaused);

        // 1-40 once, then 11-40 again from the failed batch on (3 and 4 were confirmed, but after the failure).
        Assert.Equal(Enumerable.Range(1, 40).Concat(Enumerable.Range(11, 30)).Select(p => (long)p), publisher.Positions);
        Assert.Equal(40, relay.Published);
    }

    [Fact]
    public void A_window_outside_1_to_64_is_refused_naming_the_option()
    {
        var store = new Eventuali.InMemory.InMemoryEventStore();
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => new EventRelay(store, new HeldPublisher(), new RelayRoute("orders"), new RelayOptions { MaxBatchesInFlight = 0 }));
        Assert.Contains(nameof(RelayOptions.MaxBatchesInFlight), error.Message, StringComparison.Ordinal);
    }

    private static async Task<long> CheckpointAsync(IEventStore store)
        => (await RelayStatus.ListAsync(store, Ct)).SingleOrDefault()?.Position ?? 0;

    private static async Task WatchCheckpointAsync(IEventStore store, long most, ConcurrentQueue<string> violations, CancellationToken ct)
    {
        try
        {
            while (!ct.IsCancellationRequested)
            {
                var checkpoint = await CheckpointAsync(store);
                if (checkpoint > most)
                {
                    violations.Enqueue($"checkpoint {checkpoint} passed the unconfirmed batch after {most}");
                }

                await Task.Delay(5, ct);
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
        }
    }

    /// <summary>Holds every batch's confirm until the test confirms or fails it (from <see cref="AutoConfirmFrom"/> on, at once).</summary>
    private sealed class HeldPublisher : IMessagePublisher
    {
        private readonly Lock _lock = new();
        private readonly List<TaskCompletionSource> _batches = [];
        private long _lastSent;

        public int AutoConfirmFrom { get; init; } = int.MaxValue;

        public ConcurrentQueue<string> Violations { get; } = new();

        public List<long> Positions { get; } = [];

        public int SentCount
        {
            get
            {
                lock (_lock)
                {
                    return _batches.Count;
                }
            }
        }

        public string Broker => "held";

        public ValueTask PublishAsync(IReadOnlyList<OutboundMessage> messages, CancellationToken cancellationToken = default)
            => throw new NotSupportedException("The relay sends through SendAsync.");

        public ValueTask<Task> SendAsync(IReadOnlyList<OutboundMessage> messages, CancellationToken cancellationToken = default)
        {
            var positions = messages.Select(m => long.Parse(m.Headers[MessageHeaders.Position], CultureInfo.InvariantCulture)).ToList();
            var confirm = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            lock (_lock)
            {
                // Sent again (from before the last position sent): nothing sent earlier may still be out.
                if (positions[0] <= _lastSent && _batches.Any(b => !b.Task.IsCompleted))
                {
                    Violations.Enqueue($"batch from {positions[0]} sent again while an earlier batch was still out");
                }

                _lastSent = positions[^1];
                Positions.AddRange(positions);
                _batches.Add(confirm);
                if (_batches.Count > AutoConfirmFrom)
                {
                    confirm.SetResult();
                }
            }

            return ValueTask.FromResult(confirm.Task);
        }

        public void Confirm(int batch) => Batch(batch).SetResult();

        public void Fail(int batch) => Batch(batch).SetException(new InvalidOperationException($"batch {batch + 1} refused by the test broker"));

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;

        private TaskCompletionSource Batch(int index)
        {
            lock (_lock)
            {
                return _batches[index];
            }
        }
    }
}
