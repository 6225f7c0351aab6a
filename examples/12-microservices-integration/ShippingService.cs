using System.Text;
using Eventuali;
using Eventuali.Messaging;
using Eventuali.Messaging.Nats;

namespace MicroservicesIntegration;

/// <summary>
/// The shipping service, a process of its own with its own store: consumes order messages, appends a shipment per
/// order, and its relay publishes the shipments back. Prints one line per delivery and per outcome, which the order
/// service tallies; stops when its standard input closes (or is killed).
/// </summary>
internal static class ShippingService
{
    public static async Task<int> RunAsync(string directory, string run)
    {
        var url = Topology.NatsUrl ?? throw new InvalidOperationException(Topology.MissingUrl);
        await using var store = await EventStore.CreateAsync("sqlite://" + Path.Combine(directory, "shipping.db"), EventStoreOptions.Default);
        var node = "shipping:" + Environment.ProcessId;
        using var stop = new CancellationTokenSource();
        _ = Task.Run(async () =>
        {
            await Console.In.ReadToEndAsync();
            await stop.CancelAsync();
        });

        // A killed predecessor's inbox lease runs out after its duration (8 s); until then this one waits.
        MessageInbox? inbox;
        while ((inbox = await MessageInbox.TryOpenAsync(store, "shipping", node, stop.Token)) is null)
        {
            await Task.Delay(200, stop.Token);
        }

        await using var held = inbox;
        await using var publisher = new NatsJetStreamPublisher(await NatsConnect.ConnectAsync(url), Topology.Shipments(run), ownsConnection: true);
        var relay = new EventRelay(store, publisher, new RelayRoute("shipments") { Category = "shipment-" },
            new RelayOptions { NodeId = node, LeaseRetryInterval = TimeSpan.FromMilliseconds(200) });
        var relaying = relay.RunAsync(stop.Token);

        await using var source = new NatsJetStreamSource(await NatsConnect.ConnectAsync(url), "shipping", "order", Topology.Orders(run), ownsConnection: true);
        Console.WriteLine(Progress.ReadyLine);
        try
        {
            // A handler that has started runs to its end (no token): stopping then never leaves a shipment appended and
            // its message unrecorded, which would only be repaired by a redelivery that a stopped service never gets.
            await MessageConsumer.RunAsync(source, (message, _) => ShipAsync(store, inbox, message, CancellationToken.None),
                (message, error) => Console.Error.WriteLine($"shipping: message {message.MessageId} failed, left for redelivery: {error.Message}"),
                stop.Token);
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
        }

        await relaying;
        return 0;
    }

    private static async ValueTask ShipAsync(IEventStore store, MessageInbox inbox, InboundMessage message, CancellationToken ct)
    {
        Console.WriteLine(Progress.DeliveredLine);
        var order = message.Headers[MessageHeaders.StreamId];

        // The shipment is appended in its own transaction before the inbox records the message: SQLite has one writer,
        // so an append inside the inbox's open write transaction would wait on that transaction itself: a deadlock.
        // Its event id is derived from the message id, and the store treats an
        // exact retry of an append (same stream, same event id) as done: a redelivery after the process died between
        // the append and the inbox commit appends nothing.
        var shipment = new EventData(MessageImport.EventIdOf("shipment:" + message.MessageId), "ShipmentCreated",
            Encoding.UTF8.GetBytes($"{{\"order\":\"{order}\"}}"));
        await store.AppendAsync("shipment-" + order["order-".Length..], ExpectedVersion.Any, [shipment], ct);

        // The inbox's effect: the order is marked shipped, once, in the same transaction that records the message id.
        var now = await inbox.HandleAsync(message.MessageId, (tx, c) => tx.Documents.PutAsync(order, "{\"shipped\":true}", c), ct);
        Console.WriteLine(now ? Progress.AppliedLine : Progress.DuplicateLine);
        Console.WriteLine(Progress.InboxLinePrefix + await inbox.CountAsync(CancellationToken.None));
    }
}
