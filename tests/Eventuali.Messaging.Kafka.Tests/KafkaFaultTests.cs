using System.Text;
using Confluent.Kafka;

namespace Eventuali.Messaging.Kafka.Tests;

/// <summary>Bad input and faults: poison messages, an oversized message, a wrong address or login, the cluster killed.</summary>
public sealed class KafkaFaultTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Poison_messages_are_dead_lettered_with_the_reason_and_the_good_ones_imported_once()
    {
        await using var target = await TempStore.OpenAsync();
        var options = Kafka.Isolated();
        var topic = options.TopicFor("order");
        var good = Guid.NewGuid().ToString("D");
        using (var producer = new ProducerBuilder<string, byte[]>(new ProducerConfig { BootstrapServers = options.BootstrapServers }).Build())
        {
            await producer.ProduceAsync(topic, Record("order-1", "{\"n\":1}", good, "OrderPlaced"), Ct);
            await producer.ProduceAsync(topic, Record("order-1", "{not json", Guid.NewGuid().ToString("D"), "OrderPlaced"), Ct);
            await producer.ProduceAsync(topic, Record("order-1", "{\"n\":2}", Guid.NewGuid().ToString("D"), "Mystery"), Ct);
            await producer.ProduceAsync(topic, Record("order-1", "{\"n\":1}", good, "OrderPlaced"), Ct); // a duplicate
        }

        var import = new ImportOptions { StreamPrefix = "in-", KnownTypes = new HashSet<string> { "OrderPlaced" } };
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        await using var source = new KafkaMessageSource(options, Kafka.Group(options, "importer"), "order");
        var handled = 0;
        var consuming = MessageConsumer.RunAsync(source, async (m, c) =>
        {
            await MessageImport.ImportAsync(target.Store, m, import, c);
            Interlocked.Increment(ref handled);
        }, cancellationToken: stop.Token);

        var dead = await Task.Run(() => Kafka.ReadTopic(options, options.DeadLetterTopic(Kafka.Group(options, "importer")), atLeast: 2, deadline: TimeSpan.FromSeconds(60)), Ct);
        Assert.Equal(2, dead.Count);
        Assert.Contains("is not valid JSON", Kafka.Header(dead[0], KafkaHeaders.DeadLetterReason), StringComparison.Ordinal);
        Assert.Contains("unknown event type 'Mystery'", Kafka.Header(dead[1], KafkaHeaders.DeadLetterReason), StringComparison.Ordinal);
        Assert.Equal("{not json", Encoding.UTF8.GetString(dead[0].Message.Value));
        await Kafka.WaitUntilAsync(() => Task.FromResult(Volatile.Read(ref handled) == 2), "the good message and its duplicate handled");
        var events = await target.Store.ReadStreamAsync("in-order-1", cancellationToken: Ct).ToListAsync(Ct);
        var only = Assert.Single(events);
        Assert.Equal(Guid.Parse(good), only.EventId);
        await stop.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => consuming);
    }

    [Fact]
    public async Task An_oversized_message_fails_its_batch_with_an_error_naming_the_size_and_the_limit()
    {
        var options = Kafka.Isolated() with { MessageMaxBytes = 10_000 };
        await using var publisher = new KafkaRelayPublisher(options);
        var headers = new Dictionary<string, string> { [MessageHeaders.StreamId] = "order-1" };
        var big = new OutboundMessage(Guid.NewGuid().ToString("D"), "order", "order-1", new byte[50_000], headers);
        var error = await Assert.ThrowsAsync<InvalidOperationException>(async () => await publisher.PublishAsync([big], Ct));
        Assert.Contains(big.MessageId, error.Message, StringComparison.Ordinal);
        Assert.Contains("50000 bytes", error.Message, StringComparison.Ordinal);
        Assert.Contains("10000 bytes allowed", error.Message, StringComparison.Ordinal);

        // The producer is still usable for messages that fit.
        await publisher.PublishAsync([big with { Body = new byte[100] }], Ct);
    }

    [Fact]
    public async Task A_wrong_address_or_login_gives_a_clear_error_without_the_password()
    {
        var nobody = $"127.0.0.1:{Kafka.FreePort()}";
        var unreachable = await Assert.ThrowsAsync<InvalidOperationException>(() => KafkaConnect.CheckAsync(new KafkaOptions { BootstrapServers = nobody }, TimeSpan.FromSeconds(3), Ct));
        Assert.Contains($"Cannot connect to Kafka at {nobody}", unreachable.Message, StringComparison.Ordinal);
        Assert.Contains("could not be reached", unreachable.Message, StringComparison.Ordinal);

        // The mock cluster has no SASL listener: a login is refused like a wrong password would be.
        const string secret = "s3cret-Pa55word";
        var withLogin = new KafkaOptions { BootstrapServers = Kafka.Bootstrap, Username = "alice", Password = secret };
        var refused = await Assert.ThrowsAsync<InvalidOperationException>(() => KafkaConnect.CheckAsync(withLogin, TimeSpan.FromSeconds(5), Ct));
        Assert.Contains("user 'alice'", refused.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(secret, refused.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain(secret, withLogin.ToString(), StringComparison.Ordinal);

        // A relay pointed at nothing pauses with the same kind of error, never blocking the writer.
        await using var store = await TempStore.OpenAsync();
        await using var publisher = new KafkaRelayPublisher(new KafkaOptions { BootstrapServers = nobody, Username = "alice", Password = secret, PublishTimeout = TimeSpan.FromSeconds(2) });
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        var relay = new EventRelay(store.Store, publisher, new RelayRoute("orders"));
        var running = relay.RunAsync(stop.Token);
        await Kafka.AppendAsync(store.Store, "order-1", 3, Ct);
        await Kafka.WaitUntilAsync(() => Task.FromResult(relay.IsPaused && relay.LastError is not null), "the relay to pause on the unreachable cluster");
        Assert.Contains($"Kafka at {nobody} did not confirm", relay.LastError!.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(secret, relay.LastError.ToString(), StringComparison.Ordinal);
        await stop.CancelAsync();
        await running;
    }

    [Fact]
    public async Task The_cluster_killed_mid_stream_pauses_the_relay_not_the_writers_and_every_event_arrives_after_it_is_back()
    {
        using var mock = new OwnKafkaMock();
        await mock.StartAsync();
        await using var orders = await TempStore.OpenAsync();
        await using var shipping = await TempStore.OpenAsync();
        var options = Kafka.Isolated(mock.Bootstrap) with { PublishTimeout = TimeSpan.FromSeconds(3) };
        await using var publisher = new KafkaRelayPublisher(options);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        var relay = new EventRelay(orders.Store, publisher, new RelayRoute("orders") { BatchSize = 20 }, new RelayOptions { MaxRetryDelay = TimeSpan.FromMilliseconds(500) });
        var relaying = relay.RunAsync(stop.Token);
        var consumer = new CountingConsumer();
        await using var inbox = (await MessageInbox.TryOpenAsync(shipping.Store, "shipping", "test", Ct))!;
        using (var stopFirst = CancellationTokenSource.CreateLinkedTokenSource(Ct))
        {
            await using var first = new KafkaMessageSource(options, Kafka.Group(options, "shipping"), "order");
            var consumingFirst = MessageConsumer.RunAsync(first, (m, c) => consumer.HandleAsync(inbox, m, c), cancellationToken: stopFirst.Token);
            for (var s = 0; s < 3; s++)
            {
                await Kafka.AppendAsync(orders.Store, $"order-{s}", 20, Ct);
            }

            await Kafka.WaitUntilAsync(async () => await inbox.CountAsync(Ct) == 60, "the first 60 consumed", detail: () => relay.LastError);
            await stopFirst.CancelAsync();
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => consumingFirst);
        }

        // SIGKILL: the mock keeps its log and the group's offsets in memory, so the cluster that comes back is empty and
        // numbers its offsets from 0 again (a real broker keeps both on disk). A consumer that lived through it would
        // keep fetching at its old positions and skip the new records, so the consumer is started again after the
        // restart. What this proves is the relay's side: it pauses while the cluster is gone, the writers carry on,
        // and it reconnects on its own and delivers everything it had not had confirmed.
        mock.Kill();
        for (var s = 0; s < 3; s++)
        {
            await Kafka.AppendAsync(orders.Store, $"order-{s}", 20, Ct);
        }

        await Kafka.WaitUntilAsync(() => Task.FromResult(relay.IsPaused), "the relay to pause while the cluster is down", detail: () => relay.LastError);
        await Task.Delay(TimeSpan.FromSeconds(10), Ct); // the outage itself: the cluster stays down 10 s
        await mock.StartAsync();
        await using var source = new KafkaMessageSource(options, Kafka.Group(options, "shipping"), "order");
        var consuming = MessageConsumer.RunAsync(source, (m, c) => consumer.HandleAsync(inbox, m, c), cancellationToken: stop.Token);
        await Kafka.WaitUntilAsync(async () => await inbox.CountAsync(Ct) == 120, "all 120 consumed after the restart", TimeSpan.FromSeconds(90),
            detail: () => $"relay paused {relay.IsPaused}, error {relay.LastError?.Message}, deliveries {consumer.Deliveries}");
        var applied = await CountingConsumer.ReadAsync(shipping.Store, "shipping", Ct);
        Assert.All(applied.Values, v => Assert.Equal((40L, 40L), v));
        Assert.Empty(consumer.Violations);
        Assert.False(relay.IsPaused);
        await stop.CancelAsync();
        await relaying;
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => consuming);
    }

    private static Message<string, byte[]> Record(string stream, string json, string id, string type) => new()
    {
        Key = stream,
        Value = Encoding.UTF8.GetBytes(json),
        Headers = new Headers
        {
            { KafkaHeaders.MessageId, Encoding.UTF8.GetBytes(id) },
            { MessageHeaders.StreamId, Encoding.UTF8.GetBytes(stream) },
            { MessageHeaders.EventType, Encoding.UTF8.GetBytes(type) },
            { MessageHeaders.ContentType, Encoding.UTF8.GetBytes("application/json") },
        },
    };
}
