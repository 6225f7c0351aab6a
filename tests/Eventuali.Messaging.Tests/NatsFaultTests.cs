using System.Diagnostics;
using System.Text;
using Eventuali.Messaging.Nats;
using NATS.Client.Core;
using NATS.Client.JetStream;

namespace Eventuali.Messaging.Tests;

/// <summary>Faults against real NATS: the server process killed and restarted, poison messages dead-lettered.</summary>
public sealed class NatsFaultTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Killing_the_broker_mid_stream_pauses_the_relay_never_the_writers_and_nothing_is_lost_after_restart()
    {
        using var server = new OwnNatsServer();
        await server.StartAsync();
        await using var orders = await TempStore.OpenAsync();
        var options = Broker.Isolated() with { PublishTimeout = TimeSpan.FromSeconds(2) };
        await using var publisher = new NatsJetStreamPublisher(await NatsConnect.ConnectAsync(server.Url, cancellationToken: Ct), options, ownsConnection: true);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        var relay = new EventRelay(orders.Store, publisher, new RelayRoute("orders") { BatchSize = 20 },
            new RelayOptions { MaxRetryDelay = TimeSpan.FromMilliseconds(500) });
        var running = relay.RunAsync(stop.Token);

        await Broker.AppendAsync(orders.Store, "order-1", 50, Ct);
        await Broker.WaitUntilAsync(() => Task.FromResult(relay.Published >= 20), "the relay to publish a first batch", detail: () => relay.LastError);

        server.Kill();

        // Writers go on while the broker is down: every append completes without waiting for it.
        var writing = Stopwatch.StartNew();
        await Broker.AppendAsync(orders.Store, "order-2", 50, Ct);
        await Broker.AppendAsync(orders.Store, "order-1", 25, Ct);
        writing.Stop();
        Assert.True(writing.Elapsed < TimeSpan.FromSeconds(20), $"75 appends with the broker down took {writing.Elapsed}");
        await Broker.WaitUntilAsync(() => Task.FromResult(relay.IsPaused), "the relay to pause on the dead broker", detail: () => relay.Published);
        var head = await orders.Store.GetHeadPositionAsync(Ct);
        Assert.True((await RelayStatus.ListAsync(orders.Store, Ct)).Single().Position < head, "the checkpoint stays behind while nothing is confirmed");

        await server.StartAsync();
        await Broker.WaitUntilAsync(async () => (await RelayStatus.ListAsync(orders.Store, Ct)).Single().Lag == 0, "the relay to catch up after the restart", detail: () => relay.LastError);
        Assert.False(relay.IsPaused);

        // What JetStream holds: every event at least once, in order per stream.
        await using var reader = await NatsConnect.ConnectAsync(server.Url, cancellationToken: Ct);
        var seen = await ReadAllAsync(reader, options, 125);
        Assert.Equal(125, seen.Select(m => m.Id).Distinct().Count());
        foreach (var stream in new[] { "order-1", "order-2" })
        {
            var versions = seen.Where(m => m.Stream == stream).Select(m => m.Version).ToList();
            var firsts = versions.Where((v, i) => versions.IndexOf(v) == i).ToList();
            Assert.True(Enumerable.Range(1, stream == "order-1" ? 75 : 50).Select(v => (long)v).SequenceEqual(firsts), $"{stream} first seen in the order {string.Join(",", versions)}");
        }

        await stop.CancelAsync();
        await running;
    }

    [Fact]
    public async Task Poison_messages_are_dead_lettered_with_the_reason_and_good_ones_imported_once()
    {
        await using var target = await TempStore.OpenAsync();
        var options = Broker.Isolated();
        await using var connection = await Broker.ConnectAsync(Ct);
        await using var publisher = new NatsJetStreamPublisher(connection, options);
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
        await using var source = new NatsJetStreamSource(connection, "importer", null, options);
        var consuming = MessageConsumer.RunAsync(source, async (m, c) => await MessageImport.ImportAsync(target.Store, m, import, c), cancellationToken: stop.Token);

        var js = new NatsJSContext(connection);
        await Broker.WaitUntilAsync(async () =>
        {
            try
            {
                return (await js.GetStreamAsync(options.DeadLetterStreamName, cancellationToken: Ct)).Info.State.Messages == 2;
            }
            catch (NatsJSApiException)
            {
                return false;
            }
        }, "two dead letters", detail: () => consuming.Exception);

        var reasons = new List<string>();
        var dead = await js.CreateOrderedConsumerAsync(options.DeadLetterStreamName, cancellationToken: Ct);
        await foreach (var msg in dead.FetchAsync(new NatsJSFetchOpts { MaxMsgs = 2, Expires = TimeSpan.FromSeconds(10) }, NatsRawSerializer<byte[]>.Default, Ct))
        {
            reasons.Add(msg.Headers![NatsJetStreamSource.DeadLetterReasonHeader].ToString());
        }

        Assert.Contains(reasons, r => r.Contains("is not valid JSON", StringComparison.Ordinal));
        Assert.Contains(reasons, r => r.Contains("unknown event type 'Teleported'", StringComparison.Ordinal));

        // The good message, delivered twice, is one event.
        await Broker.WaitUntilAsync(async () => await target.Store.GetHeadPositionAsync(Ct) >= 1, "the good message imported");
        var imported = new List<RecordedEvent>();
        await foreach (var e in target.Store.ReadAllAsync(1, 100, null, Ct))
        {
            imported.Add(e);
        }

        Assert.Equal(Guid.Parse(good), Assert.Single(imported).EventId);
        Assert.Equal("in-ship-1", imported[0].StreamId);
        await stop.CancelAsync();
        try
        {
            await consuming;
        }
        catch (OperationCanceledException)
        {
        }
    }

    [Fact]
    public async Task An_event_over_the_servers_max_payload_stops_the_relay_with_an_error_naming_it_instead_of_retrying_forever()
    {
        await using var orders = await TempStore.OpenAsync();
        await Broker.AppendAsync(orders.Store, "order-1", 2, Ct);
        var big = await orders.Store.AppendAsync("order-2", ExpectedVersion.Any, [EventData.Json("Happened", "{\"blob\":\"" + new string('x', 1_100_000) + "\"}")], Ct);
        var options = Broker.Isolated();
        await using var publisher = new NatsJetStreamPublisher(await Broker.ConnectAsync(Ct), options, ownsConnection: true);
        var relay = new EventRelay(orders.Store, publisher, new RelayRoute("orders") { Category = "order-" });

        var stopped = await Assert.ThrowsAsync<BrokerConfigurationException>(() => relay.RunAsync(Ct).WaitAsync(TimeSpan.FromSeconds(60), Ct));
        Assert.Contains("of stream 'order-2'", stopped.Message, StringComparison.Ordinal);
        Assert.Contains("max_payload", stopped.Message, StringComparison.Ordinal);
        Assert.Same(stopped, relay.LastError);

        // Nothing after the checkpoint was skipped: the batch with the large event is not confirmed.
        Assert.True((await RelayStatus.ListAsync(orders.Store, Ct)).Single().Position < big.LastPosition);
    }

    private static OutboundMessage Message(string id, string stream, string type, string json)
        => new(id, "ship", stream, Encoding.UTF8.GetBytes(json), new Dictionary<string, string>
        {
            [MessageHeaders.StreamId] = stream,
            [MessageHeaders.EventType] = type,
            [MessageHeaders.ContentType] = ContentTypes.Json,
        });

    private static async Task<List<(string Id, string Stream, long Version)>> ReadAllAsync(NatsConnection connection, NatsJetStreamOptions options, int atLeast)
    {
        var js = new NatsJSContext(connection);
        var consumer = await js.CreateOrderedConsumerAsync(options.StreamName, cancellationToken: Ct);
        var result = new List<(string, string, long)>();
        var total = (long)(await js.GetStreamAsync(options.StreamName, cancellationToken: Ct)).Info.State.Messages;
        Assert.True(total >= atLeast, $"JetStream holds {total} messages, fewer than the {atLeast} events");
        await foreach (var msg in consumer.FetchAsync(new NatsJSFetchOpts { MaxMsgs = (int)total, Expires = TimeSpan.FromSeconds(10) }, NatsRawSerializer<byte[]>.Default, Ct))
        {
            result.Add((msg.Headers!["Nats-Msg-Id"].ToString(), msg.Headers[MessageHeaders.StreamId].ToString(), long.Parse(msg.Headers[MessageHeaders.StreamVersion].ToString(), System.Globalization.CultureInfo.InvariantCulture)));
        }

        return result;
    }
}
