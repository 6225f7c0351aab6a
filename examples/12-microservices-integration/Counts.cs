using Eventuali;
using Eventuali.Messaging;
using NATS.Client.Core;
using NATS.Client.JetStream;

namespace MicroservicesIntegration;

/// <summary>What the run measured: read back from both stores and the broker, plus the services' own delivery tallies.</summary>
internal sealed record Counts(
    long OrdersPlaced,
    long OrdersOnBroker,
    long RelayPublished,
    int Delivered,
    int Duplicates,
    long ShippingInbox,
    long ShipmentEvents,
    long ShipmentStreams,
    long ShipmentsOnBroker,
    long Confirmed)
{
    public static async Task<Counts> MeasureAsync(IEventStore orders, MessageInbox ordersInbox, NatsConnection nats, string dir, string run, long relayPublished, Progress progress)
    {
        long placed = 0;
        await foreach (var _ in orders.ReadAllAsync(1, int.MaxValue, new EventFilter { EventTypes = ["OrderPlaced"] }))
        {
            placed++;
        }

        // The shipping service has exited: its store is read here, its inbox opened once its lease is free.
        await using var shipping = await EventStore.CreateAsync("sqlite://" + Path.Combine(dir, "shipping.db"), EventStoreOptions.Default);
        long shipmentEvents = 0;
        var shipmentStreams = new HashSet<string>(StringComparer.Ordinal);
        await foreach (var e in shipping.ReadAllAsync(1, int.MaxValue, new EventFilter { EventTypes = ["ShipmentCreated"] }))
        {
            shipmentEvents++;
            shipmentStreams.Add(e.StreamId);
        }

        MessageInbox? shippingInbox = null;
        await Wait.UntilAsync(async () => (shippingInbox = await MessageInbox.TryOpenAsync(shipping, "shipping", "check")) is not null,
            "the shipping inbox is free to count", TimeSpan.FromSeconds(30));
        long shippingCount;
        await using (shippingInbox!)
        {
            shippingCount = await shippingInbox!.CountAsync();
        }

        var js = new NatsJSContext(nats);
        return new Counts(
            placed,
            (await js.GetStreamAsync(Topology.Orders(run).StreamName)).Info.State.Messages,
            relayPublished,
            progress.Delivered,
            progress.Duplicates,
            shippingCount,
            shipmentEvents,
            shipmentStreams.Count,
            (await js.GetStreamAsync(Topology.Shipments(run).StreamName)).Info.State.Messages,
            await ordersInbox.CountAsync());
    }
}

/// <summary>Prints the counts and checks them.</summary>
internal static class Report
{
    public static bool Print(Counts c, int orders, TimeSpan elapsed)
    {
        Console.WriteLine();
        Console.WriteLine($"Orders placed (OrderPlaced events in the order store):       {c.OrdersPlaced}");
        Console.WriteLine($"Order messages in JetStream (relay confirmations: {c.RelayPublished}):   {c.OrdersOnBroker}");
        Console.WriteLine($"Order messages delivered to shipping, redeliveries included: {c.Delivered}");
        Console.WriteLine($"  duplicates suppressed by the shipping inbox:               {c.Duplicates}");
        Console.WriteLine($"Messages recorded in the shipping inbox:                     {c.ShippingInbox}");
        Console.WriteLine($"Shipments appended (ShipmentCreated events / streams):       {c.ShipmentEvents} / {c.ShipmentStreams}");
        Console.WriteLine($"Shipment messages in JetStream:                              {c.ShipmentsOnBroker}");
        Console.WriteLine($"Shipments confirmed back in the order service's inbox:       {c.Confirmed}");
        Console.WriteLine($"Elapsed: {elapsed.TotalSeconds:0.0} s");

        var failures = new List<string>();
        Check(c.OrdersPlaced == orders, $"{orders} orders placed");
        Check(c.OrdersOnBroker == orders, "every order in JetStream exactly once");
        Check(c.Delivered >= orders, "every order delivered at least once");
        Check(c.ShippingInbox == orders, "every order recorded once by the shipping inbox");
        Check(c.ShipmentEvents == orders && c.ShipmentStreams == orders, "one shipment per order, none twice");
        Check(c.ShipmentsOnBroker == orders, "every shipment in JetStream exactly once");
        Check(c.Confirmed == orders, "every shipment confirmed back once");
        if (failures.Count == 0)
        {
            Console.WriteLine("OK: no order lost and no effect applied twice, despite the SIGKILL.");
            return true;
        }

        foreach (var failure in failures)
        {
            Console.WriteLine("CHECK FAILED: " + failure);
        }

        return false;

        void Check(bool ok, string what)
        {
            if (!ok)
            {
                failures.Add(what);
            }
        }
    }
}
