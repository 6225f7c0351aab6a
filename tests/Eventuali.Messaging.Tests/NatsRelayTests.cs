using Eventuali.Messaging.Nats;

namespace Eventuali.Messaging.Tests;

/// <summary>The relay and the inbox end to end against the real NATS server started by scripts/brokers.sh.</summary>
public sealed class NatsRelayTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Every_event_arrives_in_order_per_stream_and_the_inbox_applies_each_once_despite_consumer_crashes()
    {
        await using var orders = await TempStore.OpenAsync();
        await using var shipping = await TempStore.OpenAsync();
        var options = Broker.Isolated(ackWait: TimeSpan.FromSeconds(1));
        for (var s = 0; s < 5; s++)
        {
            await Broker.AppendAsync(orders.Store, $"order-{s}", 40, Ct);
        }

        await using var publisher = new NatsJetStreamPublisher(await Broker.ConnectAsync(Ct), options, ownsConnection: true);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        var relay = new EventRelay(orders.Store, publisher, new RelayRoute("orders") { Category = "order-", BatchSize = 50 });
        var relaying = relay.RunAsync(stop.Token);

        var consumer = new CountingConsumer();
        var head = await orders.Store.GetHeadPositionAsync(Ct);
        var crashIds = new List<string>();
        await foreach (var e in orders.Store.ReadAllAsync(1, 200, null, Ct))
        {
            if (e.StreamVersion is 3 or 17 or 40 && e.StreamId == "order-2")
            {
                crashIds.Add(e.EventId.ToString("D"));
                consumer.CrashAfterCommit[e.EventId.ToString("D")] = true;
            }
        }

        await using var inbox = (await MessageInbox.TryOpenAsync(shipping.Store, "shipping", "test", Ct))!;
        await using var source = new NatsJetStreamSource(await Broker.ConnectAsync(Ct), "shipping", "order", options, ownsConnection: true);
        var consuming = MessageConsumer.RunAsync(source, (m, c) => consumer.HandleAsync(inbox, m, c), cancellationToken: stop.Token);

        // Five more streams' worth appended while the relay runs: catching up and live are one loop.
        await Broker.AppendAsync(orders.Store, "order-5", 40, Ct);
        await Broker.WaitUntilAsync(async () => await inbox.CountAsync(Ct) == 240 && Interlocked.Read(ref consumer.Deliveries) >= 243, "240 messages in the inbox and the 3 crashed deliveries redelivered", detail: () => $"{consumer.Deliveries} deliveries, relay error {relay.LastError}");

        var applied = await CountingConsumer.ReadAsync(shipping.Store, "shipping", Ct);
        Assert.Equal(6, applied.Count);
        Assert.All(applied.Values, v => Assert.Equal((40L, 40L), v));
        Assert.Empty(consumer.Violations);
        Assert.True(Interlocked.Read(ref consumer.Deliveries) >= 243, $"the 3 crashed deliveries came again ({consumer.Deliveries} deliveries)");
        await Broker.WaitUntilAsync(async () => (await RelayStatus.ListAsync(orders.Store, Ct)).Single().Lag == 0, "the relay's checkpoint at the head");
        Assert.Equal(240, relay.Published);
        await stop.CancelAsync();
        await relaying;
        try
        {
            await consuming;
        }
        catch (OperationCanceledException)
        {
            // Stopping the consumer may surface as cancellation: both are a clean stop.
        }
    }

    [Fact]
    public async Task A_relay_stopped_between_publish_and_checkpoint_publishes_again_and_jetstream_drops_the_duplicates()
    {
        await using var orders = await TempStore.OpenAsync();
        var options = Broker.Isolated();
        await Broker.AppendAsync(orders.Store, "order-1", 30, Ct);
        await using var connection = await Broker.ConnectAsync(Ct);
        await using var inner = new NatsJetStreamPublisher(connection, options);

        using (var crash = CancellationTokenSource.CreateLinkedTokenSource(Ct))
        {
            await using var dying = new CrashAfterPublish(inner, crash);
            var first = new EventRelay(orders.Store, dying, new RelayRoute("orders") { BatchSize = 100 });
            await first.RunAsync(crash.Token);
            Assert.Equal(30, first.Published);
        }

        // The checkpoint never moved: the next relay publishes the same 30 messages again.
        Assert.Equal(0, (await RelayStatus.ListAsync(orders.Store, Ct)).Single().Position);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        var second = new EventRelay(orders.Store, inner, new RelayRoute("orders") { BatchSize = 100 });
        var running = second.RunAsync(stop.Token);
        await Broker.WaitUntilAsync(async () => (await RelayStatus.ListAsync(orders.Store, Ct)).Single().Lag == 0, "the second relay's checkpoint at the head", detail: () => second.LastError);
        Assert.Equal(30, second.Published);

        var js = new NATS.Client.JetStream.NatsJSContext(connection);
        var stream = await js.GetStreamAsync(options.StreamName, cancellationToken: Ct);
        Assert.Equal(30L, (long)stream.Info.State.Messages);
        await stop.CancelAsync();
        await running;
    }

    [Fact]
    public async Task Only_one_relay_per_route_leads_and_the_other_takes_over_when_it_stops()
    {
        await using var orders = await TempStore.OpenAsync();
        var options = Broker.Isolated();
        await using var publisher = new NatsJetStreamPublisher(await Broker.ConnectAsync(Ct), options, ownsConnection: true);
        using var stopA = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        using var stopB = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        var relayOptions = new RelayOptions { LeaseRetryInterval = TimeSpan.FromMilliseconds(100) };
        var a = new EventRelay(orders.Store, publisher, new RelayRoute("orders"), relayOptions with { NodeId = "a" });
        var b = new EventRelay(orders.Store, publisher, new RelayRoute("orders"), relayOptions with { NodeId = "b" });
        var runA = a.RunAsync(stopA.Token);
        await Broker.WaitUntilAsync(() => Task.FromResult(a.IsLeader), "relay a to lead");
        var runB = b.RunAsync(stopB.Token);
        await Broker.AppendAsync(orders.Store, "order-1", 10, Ct);
        await Broker.WaitUntilAsync(async () => (await RelayStatus.ListAsync(orders.Store, Ct)).Single().Lag == 0, "relay a to publish", detail: () => a.LastError);
        Assert.False(b.IsLeader);
        Assert.Equal(0, b.Published);

        await stopA.CancelAsync();
        await runA;
        await Broker.WaitUntilAsync(() => Task.FromResult(b.IsLeader), "relay b to take the route over");
        await Broker.AppendAsync(orders.Store, "order-1", 5, Ct);
        await Broker.WaitUntilAsync(async () => (await RelayStatus.ListAsync(orders.Store, Ct)).Single().Lag == 0, "relay b to publish");
        Assert.Equal(5, b.Published);
        await stopB.CancelAsync();
        await runB;
    }

    [Fact]
    public async Task Wrong_credentials_fail_clearly_without_printing_the_password()
    {
        var url = new UriBuilder(Broker.NatsUrl) { Password = "not-the-password-0123" }.Uri.ToString();
        var error = await Assert.ThrowsAsync<InvalidOperationException>(async () => await NatsConnect.ConnectAsync(url, cancellationToken: Ct));
        Assert.Contains("refused the login of user 'eventuali'", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("not-the-password-0123", error.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain(new Uri(Broker.NatsUrl).UserInfo.Split(':')[1], error.ToString(), StringComparison.Ordinal);
    }

    /// <summary>Publishes, then stops its relay before the checkpoint can move: a relay killed at the worst moment.</summary>
    private sealed class CrashAfterPublish(IMessagePublisher inner, CancellationTokenSource crash) : IMessagePublisher
    {
        public string Broker => inner.Broker;

        public async ValueTask PublishAsync(IReadOnlyList<OutboundMessage> messages, CancellationToken cancellationToken = default)
        {
            await inner.PublishAsync(messages, cancellationToken);
            await crash.CancelAsync();
        }

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }
}
