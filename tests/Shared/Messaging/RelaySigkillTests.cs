using System.Diagnostics;
using System.Globalization;
using Eventuali.Sqlite;

namespace Eventuali.Messaging.Testing;

/// <summary>
/// One adapter's relay as a real process (tests/Eventuali.Messaging.RelayHost) killed with SIGKILL after the broker
/// confirmed its third batch and before that batch's checkpoint, then started again. Each adapter's test class derives
/// from this and says how to reach its broker; the scenario and its checks are the same for every adapter.
/// </summary>
public abstract class RelaySigkillTests
{
    private const int Streams = 4;
    private const int PerStream = 30;
    private const int Batch = 25;
    private const int KilledAfterBatches = 3;
    private const int Total = Streams * PerStream;

    /// <summary>The test's cancellation.</summary>
    protected static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>Names this test's broker objects (stream, keys, exchange, topics); the relay host derives the same from it.</summary>
    protected string Tag { get; } = "k" + Guid.NewGuid().ToString("N")[..10];

    /// <summary>The relay host's broker argument (nats, redis, rabbitmq, kafka).</summary>
    protected abstract string BrokerName { get; }

    /// <summary>
    /// Whether the broker drops the batch published again by message id (NATS: <c>Nats-Msg-Id</c>); otherwise it keeps
    /// both copies and the consumer's inbox drops the second.
    /// </summary>
    protected abstract bool BrokerDropsDuplicates { get; }

    /// <summary>Whatever must exist before the relay publishes (RabbitMQ's queue).</summary>
    protected virtual ValueTask PrepareAsync() => ValueTask.CompletedTask;

    /// <summary>A source of the consumer group or queue "shipping" on the topic "order", on a connection of its own.</summary>
    protected abstract ValueTask<IMessageSource> OpenSourceAsync();

    /// <summary>How many messages the broker holds for the route now (before anything consumed them).</summary>
    protected abstract Task<long> StoredAsync();

    /// <summary>Removes the test's broker objects.</summary>
    protected virtual ValueTask CleanupAsync() => ValueTask.CompletedTask;

    [Fact]
    public async Task A_relay_killed_with_SIGKILL_between_publish_and_checkpoint_publishes_again_on_restart_and_the_inbox_applies_each_event_once()
    {
        var dir = Directory.CreateTempSubdirectory("eventuali-relay-kill-").FullName;
        var file = Path.Combine(dir, "orders.db");
        try
        {
            await using (var orders = await SqliteEventStore.OpenAsync(file, EventStoreOptions.Default, Ct))
            {
                for (var s = 0; s < Streams; s++)
                {
                    for (var v = 1; v <= PerStream; v++)
                    {
                        await orders.AppendAsync($"order-{s}", ExpectedVersion.Any, [EventData.Json("Happened", $"{{\"n\":{v}}}")], Ct);
                    }
                }
            }

            await PrepareAsync();

            // First run: the broker confirmed the third batch; the process is killed before that batch's checkpoint.
            long confirmed;
            using (var first = RelayProcess.Start(BrokerName, file, Tag, Batch, KilledAfterBatches))
            {
                var line = await first.ReadLineAsync(TimeSpan.FromSeconds(90));
                Assert.StartsWith("confirmed ", line, StringComparison.Ordinal);
                confirmed = long.Parse(line["confirmed ".Length..], CultureInfo.InvariantCulture);
                first.Kill();
            }

            Assert.Equal(Batch * KilledAfterBatches, confirmed);
            long checkpoint;
            await using (var orders = await SqliteEventStore.OpenAsync(file, EventStoreOptions.Default, Ct))
            {
                checkpoint = (await RelayStatus.ListAsync(orders, Ct)).Single().Position;
                Assert.True(checkpoint < confirmed, $"the checkpoint ({checkpoint}) stayed behind what the broker confirmed ({confirmed})");
            }

            await UntilStoredAsync(confirmed);

            // Restarted (once the killed relay's lease expired): the batches confirmed past the checkpoint again, then the rest.
            using (var second = RelayProcess.Start(BrokerName, file, Tag, Batch, 0))
            {
                var exit = await second.WaitForExitAsync(TimeSpan.FromSeconds(90));
                Assert.True(exit == 0, $"the restarted relay exited with {exit}: {await second.ErrorAsync}");
            }

            // Everything after the checkpoint that the broker had confirmed is published a second time: the killed batch,
            // and the ones before it whose confirmations the relay had not taken or whose checkpoint save (which overlaps
            // the next publish) had not finished yet; with several batches in flight that may be more than one.
            var republished = confirmed - checkpoint;
            var expected = BrokerDropsDuplicates ? Total : Total + republished;
            await UntilStoredAsync(expected);

            // The consuming side: every event delivered at least once, applied exactly once and in version order per
            // stream, counted in the consumer's own store.
            await using var shipping = await SqliteEventStore.OpenAsync(Path.Combine(dir, "shipping.db"), EventStoreOptions.Default, Ct);
            await using var inbox = (await MessageInbox.TryOpenAsync(shipping, "shipping", "test", Ct))!;
            await using var source = await OpenSourceAsync();
            var consumer = new CountingConsumer();
            using var stop = CancellationTokenSource.CreateLinkedTokenSource(Ct);
            var consuming = MessageConsumer.RunAsync(source, (m, c) => consumer.HandleAsync(inbox, m, c), cancellationToken: stop.Token);
            await UntilAsync(async () => await inbox.CountAsync(Ct) == Total && Interlocked.Read(ref consumer.Deliveries) >= expected,
                $"{Total} messages in the inbox from {expected} deliveries", () => $"deliveries {Interlocked.Read(ref consumer.Deliveries)}, violations {string.Join("; ", consumer.Violations)}");
            var applied = await CountingConsumer.ReadAsync(shipping, "shipping", Ct);
            Assert.Equal(Streams, applied.Count);
            Assert.All(applied.Values, v => Assert.Equal(((long)PerStream, (long)PerStream), v));
            Assert.Empty(consumer.Violations);
            Assert.Equal(Total, await inbox.CountAsync(Ct));
            await stop.CancelAsync();
            try
            {
                await consuming;
            }
            catch (OperationCanceledException)
            {
            }
        }
        finally
        {
            await CleanupAsync();
            Directory.Delete(dir, recursive: true);
        }
    }

    private async Task UntilStoredAsync(long expected)
    {
        long stored = -1;
        await UntilAsync(async () => (stored = await StoredAsync()) == expected, $"the broker holding {expected} messages", () => stored);
    }

    private static async Task UntilAsync(Func<Task<bool>> condition, string what, Func<object?> detail)
    {
        var clock = Stopwatch.StartNew();
        while (!await condition())
        {
            if (clock.Elapsed > TimeSpan.FromSeconds(60))
            {
                Assert.Fail($"Timed out after 60 s waiting for {what}; now: {detail()}");
            }

            await Task.Delay(50, Ct);
        }
    }
}
