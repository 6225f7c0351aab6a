// Example 02: an order aggregate on a real SQLite file. Business rules refuse impossible transitions;
// two copies loaded at the same version conflict on save, and the loser reloads and decides again.
using AggregateLifecycle;
using Eventuali;
using Eventuali.Typed;

var directory = Directory.CreateTempSubdirectory("eventuali-example-02-");
var url = "sqlite://" + Path.Combine(directory.FullName, "orders.db");
try
{
    var options = new EventStoreOptions { Types = new EventTypeRegistry().RegisterAssembly(typeof(Order).Assembly) };
    await using (var store = await EventStore.CreateAsync(url, options))
    {
        Console.WriteLine($"Store: {url}");
        await Lifecycle.RunAsync(store);
    }

    // A new store on the same file sees exactly what was saved.
    await using (var reopened = await EventStore.CreateAsync(url, options))
    {
        var order = await reopened.LoadAsync<Order>("1001") ?? throw new InvalidOperationException("order 1001 is missing after reopening");
        Lifecycle.Check(order.Status == OrderStatus.Shipped && order.Address == "12 Harbour Road, Leith" && order.Version == 4, "the reopened order is shipped at version 4 with the new address");
        Console.WriteLine($"Reopened the file: order 1001 is {order.Status} at version {order.Version}, address '{order.Address}'.");
    }

    Console.WriteLine("Example 02 finished: every step behaved as described.");
    return 0;
}
catch (Exception ex)
{
    Console.Error.WriteLine($"Example 02 FAILED: {ex.GetType().Name}: {ex.Message}");
    return 1;
}
finally
{
    directory.Delete(recursive: true);
    Console.WriteLine($"(deleted {directory.FullName})");
}

internal static class Lifecycle
{
    public static async Task RunAsync(IEventStore store)
    {
        // Placed, then a refused shipment (not paid yet), then paid.
        var order = Order.Place("1001", "alice", 42.50m);
        await SaveAsync(store, order, "placed for 42.50");
        Refused(() => order.Ship("DHL", "JD0001"), "ship before payment");
        Refused(() => order.Pay(40m, "pay-1"), "pay less than the total");
        order.Pay(42.50m, "pay-7731");
        await SaveAsync(store, order, "paid 42.50");
        Refused(() => order.Pay(42.50m, "pay-7732"), "pay twice");

        // Two people load the same paid order: one changes the address, the other ships.
        var clerk = await LoadAsync(store, "1001");
        var warehouse = await LoadAsync(store, "1001");
        Console.WriteLine($"Two copies loaded at version {clerk.Version}: the clerk changes the address, the warehouse ships.");
        clerk.ChangeAddress("12 Harbour Road, Leith");
        await SaveAsync(store, clerk, "clerk: address changed");
        warehouse.Ship("DHL", "JD0001");
        try
        {
            await store.SaveAsync(warehouse);
            throw new InvalidOperationException("the stale copy was saved");
        }
        catch (ConcurrencyException ex)
        {
            Console.WriteLine($"  warehouse save refused: {ex.Message}");
        }

        // Resolution: reload (now with the new address), check the rules again, ship.
        var current = await LoadAsync(store, "1001");
        Console.WriteLine($"  warehouse reloads: version {current.Version}, address '{current.Address}', status {current.Status}; ships to the new address");
        current.Ship("DHL", "JD0001");
        await SaveAsync(store, current, "warehouse: shipped (retry)");

        Refused(() => current.Cancel("changed my mind"), "cancel after shipping");
        Refused(() => current.ChangeAddress("elsewhere"), "change the address after shipping");

        // A second order is cancelled before payment, which the rules allow.
        var other = Order.Place("1002", "bob", 9.99m);
        other.Cancel("customer request");
        await SaveAsync(store, other, "placed and cancelled in one save");

        Console.WriteLine("Stored history of order-1001:");
        await foreach (var e in store.ReadStreamAsync(AggregateStreams.StreamId<Order>("1001")))
        {
            Console.WriteLine($"  v{e.StreamVersion} {e.EventType,-22} {System.Text.Encoding.UTF8.GetString(e.Data.Span)}");
        }
    }

    public static void Check(bool condition, string what)
    {
        if (!condition)
        {
            throw new InvalidOperationException("Check failed: " + what);
        }
    }

    private static async Task<Order> LoadAsync(IEventStore store, string id)
        => await store.LoadAsync<Order>(id) ?? throw new InvalidOperationException($"order {id} not found");

    private static async Task SaveAsync(IEventStore store, Order order, string what)
    {
        var events = order.UncommittedEvents.Count;
        var result = await store.SaveAsync(order);
        Console.WriteLine($"{what,-34} -> {AggregateStreams.StreamId<Order>(order.Id)} version {result.StreamVersion} ({events} event(s)), status {order.Status}");
    }

    private static void Refused(Action attempt, string what)
    {
        try
        {
            attempt();
        }
        catch (OrderRuleException ex)
        {
            Console.WriteLine($"  refused ({what}): {ex.Message}");
            return;
        }

        throw new InvalidOperationException($"The rules allowed: {what}");
    }
}
