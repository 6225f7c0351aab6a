using System.Diagnostics;
using System.Text;

namespace Eventuali.Messaging.Tests;

/// <summary>Redis Streams against the real redis-server scripts/brokers.sh started.</summary>
[Collection(BrokerRestartCollection.Name)]
public sealed class RedisAdapterTests : BrokerAdapterTests
{
    private protected override BrokerKit NewKit() => new RedisKit();
}

/// <summary>RabbitMQ against the real rabbitmq-server scripts/brokers.sh started.</summary>
[Collection(BrokerRestartCollection.Name)]
public sealed class RabbitMqAdapterTests : BrokerAdapterTests
{
    private protected override BrokerKit NewKit() => new RabbitMqKit();
}

/// <summary>
/// The same guarantees asked of every adapter, against its real server: relay and inbox end to end, a consumer killed
/// between handling and ack, the server killed mid-stream and restarted, poison and oversized messages, wrong
/// credentials. After each: every event delivered at least once, in order per stream, the inbox effect exactly once.
/// </summary>
public abstract class BrokerAdapterTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private protected abstract BrokerKit NewKit();

    [Fact]
    public async Task Relay_and_inbox_deliver_every_event_once_in_order_with_a_consumer_killed_between_handling_and_ack()
    {
        await using var kit = NewKit();
        await kit.PrepareAsync();
        await using var orders = await TempStore.OpenAsync();
        await using var shipping = await TempStore.OpenAsync();
        for (var s = 0; s < 3; s++)
        {
            await Broker.AppendAsync(orders.Store, $"order-{s}", 30, Ct);
        }

        var killAt = await EventIdAsync(orders.Store, "order-1", 10);
        await using var publisher = await kit.PublisherAsync();
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        var relay = new EventRelay(orders.Store, publisher, new RelayRoute("orders") { Category = "order-", BatchSize = 25 });
        var relaying = relay.RunAsync(stop.Token);

        await using var inbox = (await MessageInbox.TryOpenAsync(shipping.Store, "shipping", "test", Ct))!;
        var consumer = new CountingConsumer();
        var (first, _) = await ConsumeAsync(kit, "a", inbox, consumer, killAfter: m => m.MessageId == killAt);
        await Broker.WaitUntilAsync(() => Task.FromResult(first.IsCompleted), "consumer a to be killed after handling order-1 version 10", detail: () => relay.LastError);
        Assert.True(first.IsCanceled || first.Exception?.InnerException is OperationCanceledException, $"consumer a ended with {first.Exception}");
        var handledBeforeKill = consumer.Deliveries;

        // Another consumer takes over while more is appended: the killed delivery comes again and is a no-op.
        var (second, stopSecond) = await ConsumeAsync(kit, "b", inbox, consumer);
        await Broker.AppendAsync(orders.Store, "order-3", 30, Ct);
        await Broker.WaitUntilAsync(async () => await inbox.CountAsync(Ct) == 120, "120 messages in the inbox", detail: () => $"{consumer.Deliveries} deliveries, relay error {relay.LastError}");

        var applied = await CountingConsumer.ReadAsync(shipping.Store, "shipping", Ct);
        Assert.Equal(4, applied.Count);
        Assert.All(applied.Values, v => Assert.Equal((30L, 30L), v));
        Assert.Empty(consumer.Violations);
        Assert.True(consumer.Deliveries >= 121, $"the killed delivery was not delivered again ({consumer.Deliveries} deliveries, {handledBeforeKill} before the kill)");
        await Broker.WaitUntilAsync(async () => (await RelayStatus.ListAsync(orders.Store, Ct)).Single().Lag == 0, "the relay's checkpoint at the head");
        await StopAsync(stop, relaying);
        await StopAsync(stopSecond, second);
    }

    [Fact]
    public async Task Killing_the_broker_mid_stream_pauses_the_relay_never_the_writers_and_nothing_is_lost_after_restart()
    {
        await using var server = await OwnBrokerServer.StartAsync(NewKit().Name);
        await using var kit = NewKit();
        kit.Url = server.Url;
        await kit.PrepareAsync();
        await using var orders = await TempStore.OpenAsync();
        await using var shipping = await TempStore.OpenAsync();
        await using var publisher = await kit.PublisherAsync();
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        var relay = new EventRelay(orders.Store, publisher, new RelayRoute("orders") { BatchSize = 20 }, new RelayOptions { MaxRetryDelay = TimeSpan.FromMilliseconds(500) });
        var relaying = relay.RunAsync(stop.Token);
        await using var inbox = (await MessageInbox.TryOpenAsync(shipping.Store, "shipping", "test", Ct))!;
        var consumer = new CountingConsumer();
        var (consuming, stopConsuming) = await ConsumeAsync(kit, "a", inbox, consumer);

        await Broker.AppendAsync(orders.Store, "order-1", 50, Ct);
        await Broker.WaitUntilAsync(async () => await inbox.CountAsync(Ct) >= 20, "a first batch through the broker", detail: () => relay.LastError);

        server.Kill();
        var writing = Stopwatch.StartNew();
        await Broker.AppendAsync(orders.Store, "order-2", 50, Ct);
        await Broker.AppendAsync(orders.Store, "order-1", 25, Ct);
        writing.Stop();
        Assert.True(writing.Elapsed < TimeSpan.FromSeconds(20), $"75 appends with the broker down took {writing.Elapsed}");
        await Broker.WaitUntilAsync(() => Task.FromResult(relay.IsPaused), "the relay to pause on the dead broker", detail: () => relay.Published);
        Assert.True((await RelayStatus.ListAsync(orders.Store, Ct)).Single().Lag > 0, "the checkpoint stays behind while nothing is confirmed");

        await server.RestartAsync();
        await Broker.WaitUntilAsync(async () => await inbox.CountAsync(Ct) == 125, "all 125 events in the inbox after the restart", TimeSpan.FromSeconds(90),
            detail: () => $"{consumer.Deliveries} deliveries, relay paused {relay.IsPaused}, error {relay.LastError?.Message}");
        await Broker.WaitUntilAsync(async () => (await RelayStatus.ListAsync(orders.Store, Ct)).Single().Lag == 0, "the relay's checkpoint at the head");

        var applied = await CountingConsumer.ReadAsync(shipping.Store, "shipping", Ct);
        Assert.Equal((75L, 75L), applied["order-1"]);
        Assert.Equal((50L, 50L), applied["order-2"]);
        Assert.Empty(consumer.Violations);
        await StopAsync(stop, relaying);
        await StopAsync(stopConsuming, consuming);
    }

    [Fact]
    public async Task Poison_messages_are_dead_lettered_with_the_reason_and_a_good_one_sent_twice_is_imported_once()
    {
        await using var kit = NewKit();
        await kit.PrepareAsync();
        await using var target = await TempStore.OpenAsync();
        await using var publisher = await kit.PublisherAsync();
        var good = Guid.NewGuid().ToString("D");
        await publisher.PublishAsync(
        [
            Message(good, "ship-1", "Shipped", "{\"ok\":true}"),
            Message(Guid.NewGuid().ToString("D"), "ship-2", "Shipped", "{not json"),
            Message(Guid.NewGuid().ToString("D"), "ship-3", "Teleported", "{}"),
            Message(good, "ship-1", "Shipped", "{\"ok\":true}"),
        ], Ct);

        var import = new ImportOptions { StreamPrefix = "in-", KnownTypes = new HashSet<string> { "Shipped" } };
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        await using var source = await kit.SourceAsync("importer");
        var consuming = MessageConsumer.RunAsync(source, async (m, c) => await MessageImport.ImportAsync(target.Store, m, import, c), cancellationToken: stop.Token);

        List<string> reasons = [];
        await Broker.WaitUntilAsync(async () => (reasons = await kit.DeadLetterReasonsAsync()).Count == 2, "two dead letters", detail: () => consuming.Exception);
        Assert.Contains(reasons, r => r.Contains("is not valid JSON", StringComparison.Ordinal));
        Assert.Contains(reasons, r => r.Contains("unknown event type 'Teleported'", StringComparison.Ordinal));

        await Broker.WaitUntilAsync(async () => await target.Store.GetHeadPositionAsync(Ct) >= 1, "the good message imported");
        var imported = new List<RecordedEvent>();
        await foreach (var e in target.Store.ReadAllAsync(1, 100, null, Ct))
        {
            imported.Add(e);
        }

        Assert.Equal(Guid.Parse(good), Assert.Single(imported).EventId);
        Assert.Equal("in-ship-1", imported[0].StreamId);
        await StopAsync(stop, consuming);
    }

    [Fact]
    public async Task An_oversized_event_stops_the_relay_before_it_with_an_error_naming_it()
    {
        await using var kit = NewKit();
        await kit.PrepareAsync();
        await using var orders = await TempStore.OpenAsync();
        await Broker.AppendAsync(orders.Store, "order-1", 5, Ct);
        await orders.Store.AppendAsync("order-1", ExpectedVersion.Any, [EventData.Json("Happened", "{\"blob\":\"" + new string('x', 4000) + "\"}")], Ct);
        await Broker.AppendAsync(orders.Store, "order-1", 3, Ct);
        var bigId = await EventIdAsync(orders.Store, "order-1", 6);

        await using var publisher = await kit.PublisherAsync(maxBytes: 1024);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        var relay = new EventRelay(orders.Store, publisher, new RelayRoute("orders") { BatchSize = 5 }, new RelayOptions { MaxRetryDelay = TimeSpan.FromMilliseconds(200) });
        var relaying = relay.RunAsync(stop.Token);
        await Broker.WaitUntilAsync(() => Task.FromResult(relay.IsPaused && relay.LastError is not null), "the relay to stop at the oversized event");

        var error = relay.LastError!.Message;
        Assert.Contains(bigId, error, StringComparison.Ordinal);
        Assert.Contains("over the 1024-byte limit", error, StringComparison.Ordinal);
        Assert.DoesNotContain(new Uri(kit.Url).UserInfo.Split(':')[1], error, StringComparison.Ordinal);
        Assert.Equal(5, relay.Published);
        Assert.Equal(5, (await RelayStatus.ListAsync(orders.Store, Ct)).Single().Position);
        await StopAsync(stop, relaying);
    }

    [Fact]
    public async Task Wrong_credentials_fail_clearly_without_printing_the_password()
    {
        await using var kit = NewKit();
        var real = kit.Url;
        var url = new UriBuilder(real) { Password = "not-the-password-0123" }.Uri.ToString();
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => kit.ConnectAsync(url));
        Assert.Contains("refused the login of user 'eventuali'", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("not-the-password-0123", error.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain(new Uri(real).UserInfo.Split(':')[1], error.ToString(), StringComparison.Ordinal);
    }

    private static async Task<(Task Run, CancellationTokenSource Stop)> ConsumeAsync(BrokerKit kit, string name, MessageInbox inbox, CountingConsumer consumer, Func<InboundMessage, bool>? killAfter = null)
    {
        var stop = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        var source = await kit.SourceAsync(name);
        var run = Task.Run(async () =>
        {
            await using (source)
            {
                await MessageConsumer.RunAsync(source, async (m, c) =>
                {
                    await consumer.HandleAsync(inbox, m, c);
                    if (killAfter?.Invoke(m) == true)
                    {
                        // Handled and committed, then the consumer dies before its ack.
                        await stop.CancelAsync();
                        throw new OperationCanceledException(stop.Token);
                    }
                }, cancellationToken: stop.Token);
            }
        }, CancellationToken.None);
        return (run, stop);
    }

    private static async Task StopAsync(CancellationTokenSource stop, Task running)
    {
        await stop.CancelAsync();
        try
        {
            await running.WaitAsync(TimeSpan.FromSeconds(30), CancellationToken.None);
        }
        catch (OperationCanceledException)
        {
            // Stopping may surface as cancellation: a clean stop either way.
        }
    }

    private static async Task<string> EventIdAsync(IEventStore store, string streamId, long version)
    {
        await foreach (var e in store.ReadStreamAsync(streamId, version, 1, ReadDirection.Forward, Ct))
        {
            return e.EventId.ToString("D");
        }

        throw new InvalidOperationException($"{streamId} has no version {version}");
    }

    private static OutboundMessage Message(string id, string stream, string type, string json)
        => new(id, "order", stream, Encoding.UTF8.GetBytes(json), new Dictionary<string, string>
        {
            [MessageHeaders.StreamId] = stream,
            [MessageHeaders.EventType] = type,
            [MessageHeaders.ContentType] = ContentTypes.Json,
        });
}
