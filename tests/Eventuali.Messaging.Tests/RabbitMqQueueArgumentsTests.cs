namespace Eventuali.Messaging.Tests;

/// <summary>Queues declared with arguments (a classic queue of the second version) carry the relay end to end.</summary>
public sealed class RabbitMqQueueArgumentsTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task The_default_queue_is_a_quorum_queue()
    {
        await using var kit = new RabbitMqKit();
        await kit.PrepareAsync();

        // Declaring it again as a classic queue is refused as inequivalent: the adapter made a quorum queue.
        await using var admin = await Eventuali.Messaging.RabbitMq.RabbitMqConnect.ConnectAsync(kit.Url, "test-quorum", Ct);
        await using var channel = await admin.CreateChannelAsync(cancellationToken: Ct);
        var refused = await Assert.ThrowsAnyAsync<RabbitMQ.Client.Exceptions.OperationInterruptedException>(async () =>
            await channel.QueueDeclareAsync(kit.Queue, durable: true, exclusive: false, autoDelete: false, arguments: new Dictionary<string, object?> { ["x-queue-type"] = "classic" }, cancellationToken: Ct));
        Assert.Contains("x-queue-type", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_version_2_classic_queue_receives_every_relayed_event_in_order()
    {
        await using var kit = new RabbitMqKit(new Dictionary<string, object?> { ["x-queue-version"] = 2 });
        await kit.PrepareAsync();

        // The queue really is of version 2: declaring it as version 1 is refused as inequivalent.
        await using (var admin = await Eventuali.Messaging.RabbitMq.RabbitMqConnect.ConnectAsync(kit.Url, "test-v2", Ct))
        await using (var channel = await admin.CreateChannelAsync(cancellationToken: Ct))
        {
            await Assert.ThrowsAnyAsync<RabbitMQ.Client.Exceptions.OperationInterruptedException>(async () =>
                await channel.QueueDeclareAsync(kit.Queue, durable: true, exclusive: false, autoDelete: false, arguments: new Dictionary<string, object?> { ["x-queue-version"] = 1 }, cancellationToken: Ct));
        }

        await using var orders = await TempStore.OpenAsync();
        await Broker.AppendAsync(orders.Store, "order-1", 40, Ct);
        await using var publisher = await kit.PublisherAsync();
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        var relay = new EventRelay(orders.Store, publisher, new RelayRoute("orders") { Category = "order-", BatchSize = 15 });
        var relaying = relay.RunAsync(stop.Token);

        var versions = new List<long>();
        await using var source = await kit.SourceAsync("v2");
        var consuming = MessageConsumer.RunAsync(source, (m, _) =>
        {
            lock (versions)
            {
                versions.Add(long.Parse(m.Headers[MessageHeaders.StreamVersion], System.Globalization.CultureInfo.InvariantCulture));
            }

            return ValueTask.CompletedTask;
        }, cancellationToken: stop.Token);
        await Broker.WaitUntilAsync(() => Task.FromResult(Count(versions) >= 40), "40 deliveries from the version 2 queue", detail: () => relay.LastError);

        lock (versions)
        {
            Assert.Equal(Enumerable.Range(1, 40).Select(v => (long)v), versions.Distinct());
        }

        await stop.CancelAsync();
        await relaying;
        try
        {
            await consuming;
        }
        catch (OperationCanceledException)
        {
            // Stopping the consumer may surface as cancellation.
        }
    }

    private static int Count(List<long> versions)
    {
        lock (versions)
        {
            return versions.Count;
        }
    }
}
