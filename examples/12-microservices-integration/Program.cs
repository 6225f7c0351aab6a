// Example 12: two services, each with its own SQLite store, talking through NATS JetStream. The order service appends
// orders and its relay publishes them; the shipping service (a child process) consumes them, appends a shipment per
// order and its relay publishes the shipments back, which the order service records through its own inbox. The
// shipping process is killed with SIGKILL mid-run and started again. Every count printed is measured in this run, and
// the checks are made against the stores and the broker. Needs EVENTUALI_NATS_URL (eval "$(bash scripts/brokers.sh)").
using System.Diagnostics;
using Eventuali;
using Eventuali.Messaging;
using Eventuali.Messaging.Nats;
using MicroservicesIntegration;
using NATS.Client.Core;

if (args is ["shipping", var shippingDirectory, var shippingRun])
{
    return await ShippingService.RunAsync(shippingDirectory, shippingRun);
}

if (Topology.NatsUrl is not { } natsUrl)
{
    Console.Error.WriteLine(Topology.MissingUrl);
    return 1;
}

const int Orders = 200;
var run = Guid.NewGuid().ToString("N")[..8]; // names this run's JetStream streams, so reruns never mix
var directory = Directory.CreateTempSubdirectory("eventuali-example-12-");
var clock = Stopwatch.StartNew();
NatsConnection nats;
try
{
    nats = await NatsConnect.ConnectAsync(natsUrl);
}
catch (InvalidOperationException ex)
{
    Console.Error.WriteLine(ex.Message);
    return 1;
}

await using var connection = nats;
var progress = new Progress();
ShippingProcess? shipping = null;
try
{
    var counts = await RunAsync(directory.FullName);
    return Report.Print(counts, Orders, clock.Elapsed) ? 0 : 1;
}
catch (Exception ex) when (ex is TimeoutException or InvalidOperationException)
{
    Console.Error.WriteLine("FAILED: " + ex.Message);
    return 1;
}
finally
{
    if (shipping is not null)
    {
        await shipping.StopAsync();
    }

    await Topology.DeleteStreamsAsync(nats, run);
    try
    {
        directory.Delete(recursive: true);
    }
    catch (IOException)
    {
        // A file still open by a process that was being killed; the temporary directory goes with the machine.
    }
}

async Task<Counts> RunAsync(string dir)
{
    await using var orders = await EventStore.CreateAsync("sqlite://" + Path.Combine(dir, "orders.db"), EventStoreOptions.Default);
    using var stop = new CancellationTokenSource();

    // The order service: its relay publishes orders; its inbox records the shipments that come back, once each.
    await using var publisher = new NatsJetStreamPublisher(nats, Topology.Orders(run));
    var relay = new EventRelay(orders, publisher, new RelayRoute("orders") { Category = "order-" });
    var relaying = relay.RunAsync(stop.Token);
    await using var inbox = await MessageInbox.TryOpenAsync(orders, "shipments-received", "orders:" + Environment.ProcessId)
        ?? throw new InvalidOperationException("the order service's inbox is held by another process");
    await using var source = new NatsJetStreamSource(nats, "orders", "shipment", Topology.Shipments(run));
    var confirming = MessageConsumer.RunAsync(source,
        async (m, ct) => await inbox.HandleAsync(m.MessageId, (tx, c) => tx.Documents.PutAsync("confirmed:" + m.Headers[MessageHeaders.StreamId], "{}", c), ct),
        (m, error) => Console.Error.WriteLine($"orders: shipment message {m.MessageId} failed, left for redelivery: {error.Message}"),
        stop.Token);

    var writing = Task.Run(async () =>
    {
        for (var i = 1; i <= Orders; i++)
        {
            await orders.AppendAsync($"order-{i}", ExpectedVersion.NoStream, [EventData.Json("OrderPlaced", $"{{\"order\":{i},\"total\":{i * 10}}}")]);
        }
    });

    shipping = ShippingProcess.Start(dir, run, progress);
    Console.WriteLine($"Placing {Orders} orders; the shipping service runs as a process of its own.");
    await Wait.UntilAsync(() => Task.FromResult(progress.Applied >= Orders / 3), $"the shipping service handled {Orders / 3} orders", TimeSpan.FromSeconds(150), shipping);
    await shipping.KillAsync(); // SIGKILL: whatever it had received but not acknowledged is delivered again
    Console.WriteLine($"Killed the shipping service (SIGKILL) after it reported {progress.Applied} orders handled, {progress.Delivered} delivered.");
    await writing;

    shipping = ShippingProcess.Start(dir, run, progress);
    Console.WriteLine("Started the shipping service again (it takes its inbox over once the killed one's lease expired).");
    await Wait.UntilAsync(async () => await inbox.CountAsync() == Orders && progress.ShippingInbox == Orders,
        "every order is recorded by the shipping inbox and every shipment came back", TimeSpan.FromSeconds(180), shipping);
    await shipping.StopAsync();
    shipping = null;

    await stop.CancelAsync();
    await Wait.QuietlyAsync(relaying);
    await Wait.QuietlyAsync(confirming);
    return await Counts.MeasureAsync(orders, inbox, nats, dir, run, relay.Published, progress);
}
