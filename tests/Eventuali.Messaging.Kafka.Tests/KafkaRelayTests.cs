using System.Text;

namespace Eventuali.Messaging.Kafka.Tests;

/// <summary>The relay and the inbox end to end against librdkafka's mock cluster (started by scripts/kafka-mock.sh).</summary>
public sealed class KafkaRelayTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Every_event_arrives_in_order_per_stream_and_the_inbox_applies_each_once_despite_consumer_failures()
    {
        await using var orders = await TempStore.OpenAsync();
        await using var shipping = await TempStore.OpenAsync();
        var options = Kafka.Isolated();
        for (var s = 0; s < 4; s++)
        {
            await Kafka.AppendAsync(orders.Store, $"order-{s}", 25, Ct);
        }

        await using var publisher = new KafkaRelayPublisher(options);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        var relay = new EventRelay(orders.Store, publisher, new RelayRoute("orders") { Category = "order-", BatchSize = 40 });
        var relaying = relay.RunAsync(stop.Token);

        var consumer = new CountingConsumer();
        await foreach (var e in orders.Store.ReadAllAsync(1, 200, null, Ct))
        {
            if (e.StreamId == "order-2" && e.StreamVersion is 3 or 17 or 25)
            {
                consumer.CrashAfterCommit[e.EventId.ToString("D")] = true;
            }
        }

        await using var inbox = (await MessageInbox.TryOpenAsync(shipping.Store, "shipping", "test", Ct))!;
        await using var source = new KafkaMessageSource(options, Kafka.Group(options, "shipping"), "order");
        var consuming = MessageConsumer.RunAsync(source, (m, c) => consumer.HandleAsync(inbox, m, c), cancellationToken: stop.Token);

        // Appended while the relay runs: catching up and live are one loop.
        await Kafka.AppendAsync(orders.Store, "order-4", 25, Ct);
        await Kafka.WaitUntilAsync(async () => await inbox.CountAsync(Ct) == 125 && Interlocked.Read(ref consumer.Deliveries) >= 128,
            "125 messages in the inbox and the 3 failed deliveries redelivered", detail: () => $"{consumer.Deliveries} deliveries, relay error {relay.LastError}");

        var applied = await CountingConsumer.ReadAsync(shipping.Store, "shipping", Ct);
        Assert.Equal(5, applied.Count);
        Assert.All(applied.Values, v => Assert.Equal((25L, 25L), v));
        Assert.Empty(consumer.Violations);
        await Kafka.WaitUntilAsync(async () => (await RelayStatus.ListAsync(orders.Store, Ct)).Single().Lag == 0, "the relay's checkpoint at the head");
        Assert.Equal(125, relay.Published);
        await stop.CancelAsync();
        await relaying;
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => consuming);
    }

    [Fact]
    public async Task Records_carry_key_headers_and_a_protobuf_schema_reference_as_written()
    {
        await using var orders = await TempStore.OpenAsync();
        var options = Kafka.Isolated();
        const string protobuf = "application/x-protobuf; schema=eventuali.test.OrderPlaced";
        const string traceParent = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01";
        var metadata = new EventMetadata(Headers: new Dictionary<string, string> { ["traceparent"] = traceParent });
        var id = Guid.NewGuid();
        await orders.Store.AppendAsync("order-7", ExpectedVersion.NoStream, [new EventData(id, "OrderPlaced", new byte[] { 0x08, 0x96, 0x01 }, metadata, protobuf)], Ct);
        await using var publisher = new KafkaRelayPublisher(options);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        var relay = new EventRelay(orders.Store, publisher, new RelayRoute("orders"));
        var relaying = relay.RunAsync(stop.Token);
        await Kafka.WaitUntilAsync(async () => (await RelayStatus.ListAsync(orders.Store, Ct)).Single().Lag == 0, "the relay to publish", detail: () => relay.LastError);
        await stop.CancelAsync();
        await relaying;

        var record = Assert.Single(Kafka.ReadTopic(options, options.TopicPrefix + "order", atLeast: 1));
        Assert.Equal("order-7", record.Message.Key);
        Assert.Equal(new byte[] { 0x08, 0x96, 0x01 }, record.Message.Value);
        Assert.Equal(id.ToString("D"), Kafka.Header(record, KafkaHeaders.MessageId));
        Assert.Equal("OrderPlaced", Kafka.Header(record, MessageHeaders.EventType));
        Assert.Equal(protobuf, Kafka.Header(record, MessageHeaders.ContentType));
        Assert.Equal(traceParent, Kafka.Header(record, MessageHeaders.TraceParent));
        Assert.Equal("1", Kafka.Header(record, MessageHeaders.StreamVersion));
    }

    [Fact]
    public async Task A_relay_stopped_between_publish_and_checkpoint_publishes_again_and_the_inbox_drops_the_duplicates()
    {
        await using var orders = await TempStore.OpenAsync();
        await using var shipping = await TempStore.OpenAsync();
        var options = Kafka.Isolated();
        await Kafka.AppendAsync(orders.Store, "order-1", 30, Ct);
        await using var inner = new KafkaRelayPublisher(options);
        using (var crash = CancellationTokenSource.CreateLinkedTokenSource(Ct))
        {
            var first = new EventRelay(orders.Store, new CrashAfterPublish(inner, crash), new RelayRoute("orders") { BatchSize = 100 });
            await first.RunAsync(crash.Token);
            Assert.Equal(30, first.Published);
        }

        // The checkpoint never moved: the next relay publishes the same 30 again, as a new producer session, so Kafka
        // keeps both copies (the idempotent producer only drops its own retries); the inbox makes them one.
        Assert.Equal(0, (await RelayStatus.ListAsync(orders.Store, Ct)).Single().Position);
        await using var again = new KafkaRelayPublisher(options);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        var second = new EventRelay(orders.Store, again, new RelayRoute("orders") { BatchSize = 100 });
        var running = second.RunAsync(stop.Token);
        await Kafka.WaitUntilAsync(async () => (await RelayStatus.ListAsync(orders.Store, Ct)).Single().Lag == 0, "the second relay's checkpoint at the head", detail: () => second.LastError);

        var consumer = new CountingConsumer();
        await using var inbox = (await MessageInbox.TryOpenAsync(shipping.Store, "shipping", "test", Ct))!;
        await using var source = new KafkaMessageSource(options, Kafka.Group(options, "shipping"), "order");
        var consuming = MessageConsumer.RunAsync(source, (m, c) => consumer.HandleAsync(inbox, m, c), cancellationToken: stop.Token);
        await Kafka.WaitUntilAsync(() => Task.FromResult(Interlocked.Read(ref consumer.Deliveries) >= 60), "both copies delivered", detail: () => consumer.Deliveries);
        Assert.Equal(30, await inbox.CountAsync(Ct));
        Assert.Equal((30L, 30L), (await CountingConsumer.ReadAsync(shipping.Store, "shipping", Ct))["order-1"]);
        Assert.Empty(consumer.Violations);
        await stop.CancelAsync();
        await running;
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => consuming);
    }

    [Fact]
    public async Task A_consumer_that_dies_before_committing_gets_the_message_again_from_the_group_offset()
    {
        var options = Kafka.Isolated();
        await using var orders = await TempStore.OpenAsync();
        await Kafka.AppendAsync(orders.Store, "order-1", 3, Ct);
        await using var publisher = new KafkaRelayPublisher(options);
        var messages = new List<OutboundMessage>();
        await foreach (var e in orders.Store.ReadAllAsync(1, 10, null, Ct))
        {
            messages.Add(OutboundMessage.From(e, "order"));
        }

        await publisher.PublishAsync(messages, Ct);
        string firstId;
        await using (var dying = new KafkaMessageSource(options, Kafka.Group(options, "shipping"), "order"))
        {
            await using var e = dying.ReceiveAsync(Ct).GetAsyncEnumerator(Ct);
            Assert.True(await e.MoveNextAsync());
            await e.Current.AckAsync(Ct);
            Assert.True(await e.MoveNextAsync());
            firstId = e.Current.Message.MessageId; // handled, never acknowledged: the process "dies" here
        }

        await using var next = new KafkaMessageSource(options, Kafka.Group(options, "shipping"), "order");
        await using var again = next.ReceiveAsync(Ct).GetAsyncEnumerator(Ct);
        Assert.True(await again.MoveNextAsync());
        Assert.Equal(firstId, again.Current.Message.MessageId);
        Assert.Equal(messages[1].MessageId, firstId);
        Assert.Equal("2", again.Current.Message.Headers[MessageHeaders.StreamVersion]);
        Assert.Equal(Encoding.UTF8.GetString(messages[1].Body.Span), Encoding.UTF8.GetString(again.Current.Message.Body.Span));
    }
}
