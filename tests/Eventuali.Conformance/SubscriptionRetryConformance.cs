using System.Runtime.CompilerServices;
using Eventuali.Subscriptions;

namespace Eventuali.Conformance;

/// <summary>
/// The retry policy every subscription shares, on each backend: reads of the log that fail with a transient
/// store error are repeated from the last event delivered (nothing lost, nothing twice); a permanent error, or the
/// retry budget used up, stops the subscription with the attempts counted. The failures are injected between the
/// subscriber and a real store by <see cref="FlakyReadStore"/>.
/// </summary>
public abstract class SubscriptionRetryConformance<TFixture>(TFixture fixture) : ConformanceBase<TFixture>(fixture), IClassFixture<TFixture>
    where TFixture : class, IStoreFixture
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    private static readonly SubscriptionRetryOptions Quick = new() { InitialBackoff = TimeSpan.FromMilliseconds(1), MaxBackoff = TimeSpan.FromMilliseconds(20) };

    private static EventStoreUnavailableException Transient() => new("connection dropped (injected)", isTransient: true);

    [Fact]
    public async Task SubscribeToAll_repeats_failed_reads_from_the_last_event_delivered()
    {
        await using var inner = await NewStoreAsync();
        var flaky = new FlakyReadStore(inner, failures: 3, afterEvents: 3, Transient);
        for (var i = 0; i < 10; i++)
        {
            await inner.AppendAsync($"s-{i % 3}", ExpectedVersion.Any, [TestData.Json()], Ct);
        }

        var positions = new List<long>();
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        cts.CancelAfter(Patience);
        await foreach (var e in flaky.SubscribeToAllAsync(0, null, Quick, cts.Token))
        {
            positions.Add(e.Position);
            if (positions.Count == 10)
            {
                break;
            }
        }

        Assert.Equal(3, flaky.Failed);
        var stored = new List<long>();
        await foreach (var e in inner.ReadAllAsync(1, int.MaxValue, null, Ct))
        {
            stored.Add(e.Position);
        }

        Assert.Equal(stored, positions);
    }

    [Fact]
    public async Task A_handler_subscription_rides_out_transient_errors_and_stays_live()
    {
        await using var inner = await NewStoreAsync();
        var flaky = new FlakyReadStore(inner, failures: 3, afterEvents: 2, Transient);
        for (var i = 0; i < 8; i++)
        {
            await inner.AppendAsync("s", ExpectedVersion.Any, [TestData.Json()], Ct);
        }

        var seen = new List<long>();
        await using var subscription = flaky.StartSubscription(new SubscriptionOptions { Name = "retry", Retry = Quick }, (e, _) =>
        {
            lock (seen)
            {
                seen.Add(e.StreamVersion);
            }

            return ValueTask.CompletedTask;
        }, Ct);
        await UntilAsync(() => subscription.Status.IsLive && subscription.Status.Position > 0 && Count(seen) == 8, "all 8 events were handled", subscription);
        Assert.Equal(Enumerable.Range(1, 8).Select(v => (long)v), seen);
        Assert.Equal(3, flaky.Failed);
        Assert.Null(subscription.Status.Error);
    }

    [Fact]
    public async Task A_permanent_store_error_faults_the_subscription_at_once_with_the_attempts()
    {
        await using var inner = await NewStoreAsync();
        var flaky = new FlakyReadStore(inner, failures: int.MaxValue, afterEvents: 0, () => new EventStoreUnavailableException("login refused (injected)", isTransient: false));
        await inner.AppendAsync("s", ExpectedVersion.Any, [TestData.Json()], Ct);
        await using var subscription = flaky.StartSubscription(new SubscriptionOptions { Name = "permanent", Retry = Quick }, (_, _) => ValueTask.CompletedTask, Ct);
        var error = await Assert.ThrowsAsync<SubscriptionFailedException>(() => subscription.Completion.WaitAsync(Patience, Ct));
        var retry = Assert.IsType<StoreRetryException>(error.InnerException);
        Assert.Equal(1, retry.Attempts);
        Assert.False(retry.BudgetUsedUp);
        Assert.IsType<EventStoreUnavailableException>(retry.InnerException);
        Assert.Contains("permanent", error.Message, StringComparison.Ordinal);
        Assert.Contains("1 attempt", error.Message, StringComparison.Ordinal);
        Assert.Equal(1, flaky.Failed);
        Assert.Equal(SubscriptionState.Faulted, subscription.Status.State);
    }

    [Fact]
    public async Task Transient_errors_past_the_budget_stop_the_subscription_with_the_attempts()
    {
        await using var inner = await NewStoreAsync();
        var flaky = new FlakyReadStore(inner, failures: int.MaxValue, afterEvents: 0, Transient);
        var retry = Quick with { MaxAttempts = 4 };
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        cts.CancelAfter(Patience);
        var error = await Assert.ThrowsAsync<StoreRetryException>(async () =>
        {
            await foreach (var e in flaky.SubscribeToAllAsync(0, null, retry, cts.Token))
            {
                Assert.Fail($"nothing is readable, yet {e.EventId} arrived");
            }
        });
        Assert.Equal(4, error.Attempts);
        Assert.True(error.BudgetUsedUp);
        Assert.Contains("4 times", error.Message, StringComparison.Ordinal);
        Assert.Equal(4, flaky.Failed);
    }

    [Fact]
    public void The_backend_marks_what_is_transient()
    {
        Assert.True(TransientErrors.IsTransient(Transient()));
        Assert.True(TransientErrors.IsTransient(new InvalidOperationException("wrapped", Transient())));
        Assert.False(TransientErrors.IsTransient(new EventStoreUnavailableException("refused")));
        Assert.False(TransientErrors.IsTransient(new InvalidOperationException("a bug")));
        Assert.Throws<ArgumentOutOfRangeException>(() => new SubscriptionRetryOptions { MaxAttempts = 0 });
        Assert.Throws<ArgumentOutOfRangeException>(() => new SubscriptionRetryOptions { InitialBackoff = TimeSpan.Zero });
    }

    private static int Count(List<long> list)
    {
        lock (list)
        {
            return list.Count;
        }
    }

    private static async Task UntilAsync(Func<bool> condition, string what, CatchUpSubscription subscription)
    {
        var deadline = DateTime.UtcNow + Patience;
        while (!condition())
        {
            Assert.False(subscription.Completion.IsFaulted, $"the subscription faulted: {subscription.Status.Error?.Message}");
            Assert.True(DateTime.UtcNow < deadline, $"timed out waiting until {what}");
            await Task.Delay(10, Ct);
        }
    }

    /// <summary>
    /// A real store whose global-log and stream reads fail the first <c>failures</c> times, each after yielding
    /// <c>afterEvents</c> events, as a connection dropped mid-read would. Checkpoints pass through.
    /// </summary>
    private sealed class FlakyReadStore(IEventStore inner, int failures, int afterEvents, Func<Exception> error) : IEventStore, ICheckpointStore
    {
        private int _failed;

        public int Failed => Volatile.Read(ref _failed);

        public EventStoreOptions Options => inner.Options;

        public ValueTask<AppendResult> AppendAsync(string streamId, ExpectedVersion expectedVersion, IReadOnlyList<EventData> events, CancellationToken cancellationToken = default)
            => inner.AppendAsync(streamId, expectedVersion, events, cancellationToken);

        public IAsyncEnumerable<RecordedEvent> ReadStreamAsync(string streamId, long fromVersion = 1, int maxCount = int.MaxValue, ReadDirection direction = ReadDirection.Forward, CancellationToken cancellationToken = default)
            => FailingAsync(inner.ReadStreamAsync(streamId, fromVersion, maxCount, direction, cancellationToken), cancellationToken);

        public IAsyncEnumerable<RecordedEvent> ReadAllAsync(long fromPosition = 1, int maxCount = int.MaxValue, EventFilter? filter = null, CancellationToken cancellationToken = default)
            => FailingAsync(inner.ReadAllAsync(fromPosition, maxCount, filter, cancellationToken), cancellationToken);

        private async IAsyncEnumerable<RecordedEvent> FailingAsync(IAsyncEnumerable<RecordedEvent> events, [EnumeratorCancellation] CancellationToken ct)
        {
            var yielded = 0;
            await foreach (var e in events.WithCancellation(ct))
            {
                if (yielded == afterEvents && Volatile.Read(ref _failed) < failures)
                {
                    Interlocked.Increment(ref _failed);
                    throw error();
                }

                yielded++;
                yield return e;
            }

            // A read that found fewer events than the failure point fails at its end instead.
            if (yielded <= afterEvents && afterEvents == 0 && Volatile.Read(ref _failed) < failures)
            {
                Interlocked.Increment(ref _failed);
                throw error();
            }
        }

        public ValueTask<long?> GetStreamVersionAsync(string streamId, CancellationToken cancellationToken = default) => inner.GetStreamVersionAsync(streamId, cancellationToken);

        public ValueTask<long> GetHeadPositionAsync(CancellationToken cancellationToken = default) => inner.GetHeadPositionAsync(cancellationToken);

        public ValueTask<long?> LoadCheckpointAsync(string name, CancellationToken cancellationToken = default) => inner.GetCheckpointStore().LoadCheckpointAsync(name, cancellationToken);

        public ValueTask SaveCheckpointAsync(string name, long position, CancellationToken cancellationToken = default) => inner.GetCheckpointStore().SaveCheckpointAsync(name, position, cancellationToken);

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }
}
