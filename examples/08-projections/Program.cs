// Example 08: a read model built live by the projection daemon on a real SQLite file, then rebuilt from zero.
// Every figure printed is read back from the store or measured in this run.
using System.Diagnostics;
using Eventuali;
using Eventuali.Projections;
using Microsoft.Data.Sqlite;
using Projections;

var directory = Directory.CreateTempSubdirectory("eventuali-example-08-");
var file = Path.Combine(directory.FullName, "shop.db");
var url = "sqlite://" + file;
string[] customers = ["alice", "bob", "carol", "dave", "erin"];
try
{
    await using var store = await EventStore.CreateAsync(url, EventStoreOptions.Default);
    Console.WriteLine($"Store: {url}");
    CreateShipmentsTable(file);

    // History before the daemon starts: 2,000 orders, every other one shipped.
    await AppendOrdersAsync(store, 0, 2000);
    var projection = new CustomerOrders();
    await using var daemon = new ProjectionDaemon(store, [projection], new ProjectionDaemonOptions { NodeId = "example-node" });
    var clock = Stopwatch.StartNew();
    await daemon.StartAsync();
    var status = await daemon.WaitForCatchUpAsync("customer-orders");
    Console.WriteLine($"Daemon applied 2,000 orders (3,000 events) and caught up at position {status.Position} in {clock.ElapsedMilliseconds} ms: state {status.State}, lag {status.Lag}, owner {status.Owner}.");
    var live = await ReadModelAsync(store);
    Print("Read model (live)", live);

    // Live: new orders reach the read model while the daemon runs.
    await AppendOrdersAsync(store, 2000, 500);
    status = await daemon.WaitForCatchUpAsync("customer-orders");
    live = await ReadModelAsync(store);
    var orders = live.Values.Sum(v => v.Orders);
    Check(orders == 2500, $"the read model counts 2,500 orders (it counts {orders})");
    Console.WriteLine($"After 500 more orders: position {status.Position}, {orders} orders counted, {projection.EmailsSent} shipped e-mails sent, {CountShipments(file)} shipment rows.");

    // Rebuild from zero: documents cleared, every event replayed, e-mails not sent again.
    var emailsBefore = projection.EmailsSent;
    clock.Restart();
    await daemon.RebuildAsync("customer-orders", 0);
    status = await daemon.WaitForCatchUpAsync("customer-orders");
    var rebuilt = await ReadModelAsync(store);
    Check(rebuilt.Count == live.Count && rebuilt.All(kv => live[kv.Key] == kv.Value), "the rebuilt read model equals the live one");
    Check(projection.EmailsSent == emailsBefore, "no e-mail was sent again during the rebuild");
    Console.WriteLine($"Rebuilt from zero in {clock.ElapsedMilliseconds} ms: {rebuilt.Count} customers, identical to the live read model; e-mails sent still {projection.EmailsSent}.");
    Print("Read model (rebuilt)", rebuilt);

    await daemon.StopAsync();
    var stopped = await store.GetProjectionStatusAsync("customer-orders");
    Console.WriteLine($"Daemon stopped: state {stopped!.State}, position {stopped.Position}, dead letters {stopped.DeadLetters}.");
    Console.WriteLine("Example 08 finished: every step behaved as described.");
    return 0;
}
catch (Exception ex)
{
    Console.Error.WriteLine($"Example 08 FAILED: {ex.GetType().Name}: {ex.Message}");
    return 1;
}
finally
{
    SqliteConnection.ClearAllPools();
    directory.Delete(recursive: true);
    Console.WriteLine($"(deleted {directory.FullName})");
}

async Task AppendOrdersAsync(IEventStore store, int first, int count)
{
    for (var i = first; i < first + count; i++)
    {
        var customer = customers[i % customers.Length];
        var events = new List<EventData> { CustomerOrders.Placed(customer, 10m + (i % 7)) };
        if (i % 2 == 0)
        {
            events.Add(CustomerOrders.Shipped(customer, i % 4 == 0 ? "DHL" : "UPS"));
        }

        await store.AppendAsync($"order-{i}", ExpectedVersion.NoStream, events);
    }
}

static async Task<Dictionary<string, (int Orders, decimal Total, int Shipped)>> ReadModelAsync(IEventStore store)
{
    var model = new Dictionary<string, (int, decimal, int)>();
    await foreach (var d in store.GetProjectionStore().ReadProjectionDocumentsAsync("customer-orders"))
    {
        var node = System.Text.Json.Nodes.JsonNode.Parse(d.Json)!;
        model[d.Key] = (node["orders"]!.GetValue<int>(), node["total"]!.GetValue<decimal>(), node["shipped"]!.GetValue<int>());
    }

    return model;
}

static void Print(string title, Dictionary<string, (int Orders, decimal Total, int Shipped)> model)
{
    Console.WriteLine($"{title}:");
    foreach (var (customer, (orders, total, shipped)) in model.OrderBy(kv => kv.Key, StringComparer.Ordinal))
    {
        Console.WriteLine($"  {customer,-6} {orders,5} orders  {total,9:0.00} total  {shipped,5} shipped");
    }
}

static void CreateShipmentsTable(string file)
{
    using var connection = new SqliteConnection($"Data Source={file};Pooling=False");
    connection.Open();
    using var create = connection.CreateCommand();
    create.CommandText = "CREATE TABLE IF NOT EXISTS shipments (order_id TEXT PRIMARY KEY, carrier TEXT NOT NULL)";
    create.ExecuteNonQuery();
}

static long CountShipments(string file)
{
    using var connection = new SqliteConnection($"Data Source={file};Pooling=False");
    connection.Open();
    using var count = connection.CreateCommand();
    count.CommandText = "SELECT count(*) FROM shipments";
    return (long)count.ExecuteScalar()!;
}

static void Check(bool condition, string what)
{
    if (!condition)
    {
        throw new InvalidOperationException("check failed: " + what);
    }
}
