// Example 05: a process manager coordinating three aggregates (order, inventory, payment) on a real SQLite file.
// Three orders: one goes through, one finds too little stock, one has its payment declined and is compensated
// (the reserved stock is released). Everything printed is read back from the store.
using Eventuali;
using Eventuali.Cqrs;
using Eventuali.Sagas;
using Eventuali.Typed;
using MultiAggregate;

var directory = Directory.CreateTempSubdirectory("eventuali-example-05-");
var url = "sqlite://" + Path.Combine(directory.FullName, "shop.db");
try
{
    var options = new EventStoreOptions { Types = new EventTypeRegistry().RegisterAssembly(typeof(Order).Assembly) };
    await using var store = await EventStore.CreateAsync(url, options);
    Console.WriteLine($"Store: {url}");

    var stock = new CommandHandler<Inventory>(store);
    await stock.HandleAsync("lamp", i => i.Add(5));
    await stock.HandleAsync("desk", i => i.Add(2));
    Console.WriteLine("Stock: 5 lamps, 2 desks. Card limit per payment: " + Payment.CardLimit);

    using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(30));
    using var runner = new SagaRunner<FulfilmentState>(store, Fulfilment.Saga());
    var saga = runner.RunAsync(stop.Token);
    var services = Fulfilment.ServeCommandsAsync(store, stop.Token);

    (string Id, string Sku, int Qty, decimal Amount)[] orders = [("A-100", "lamp", 2, 80m), ("B-200", "lamp", 10, 400m), ("C-300", "desk", 1, 450m)];
    foreach (var (id, sku, qty, amount) in orders)
    {
        await store.SaveAsync(Order.Place(id, sku, qty, amount));
        Console.WriteLine($"Placed order {id}: {qty} x {sku} for {amount}");
    }

    // Wait until every instance has completed (its last appends written) and the services have carried out
    // every command sent (the last one may be a compensation).
    var sagas = store.GetSagaStore();
    while (true)
    {
        var states = await Task.WhenAll(orders.Select(o => sagas.LoadSagaAsync("order-fulfilment", o.Id).AsTask()));
        if (states.All(s => s is { Completed: true, Outbox: null }) && Fulfilment.ServedPosition >= await LastCommandPositionAsync(store))
        {
            break;
        }

        if (saga.IsFaulted || services.IsFaulted)
        {
            await Task.WhenAll(saga, services);
        }

        await Task.WhenAny(runner.WaitForProgressAsync(stop.Token), Task.Delay(50, stop.Token));
    }

    await stop.CancelAsync();
    await Task.WhenAll(saga, services).ContinueWith(_ => { }, TaskScheduler.Default);

    Console.WriteLine();
    foreach (var (id, _, _, _) in orders)
    {
        var order = await store.LoadAsync<Order>(id) ?? throw new InvalidOperationException($"order {id} is missing");
        var state = await sagas.LoadSagaAsync("order-fulfilment", id);
        Console.WriteLine($"Order {id}: {order.Status} (process state: {state!.State})");
    }

    var lamps = (await store.LoadAsync<Inventory>("lamp"))!.Available;
    var desks = (await store.LoadAsync<Inventory>("desk"))!.Available;
    Console.WriteLine($"Stock now: {lamps} lamps, {desks} desks");
    Check((await store.LoadAsync<Order>("A-100"))!.Status == "confirmed", "A-100 is confirmed");
    // The services may reserve for B-200 before or after A-100 (5 or 3 lamps in stock then): 10 is too many either way.
    var b200 = (await store.LoadAsync<Order>("B-200"))!.Status;
    Check(b200.StartsWith("cancelled: only ", StringComparison.Ordinal) && b200.EndsWith("of lamp in stock, 10 ordered", StringComparison.Ordinal), "B-200 is cancelled for lack of stock");
    Check((await store.LoadAsync<Order>("C-300"))!.Status.StartsWith("cancelled: payment declined", StringComparison.Ordinal), "C-300 is cancelled after the declined payment");
    Check(lamps == 3 && desks == 2, "3 lamps left (2 sold) and both desks back after the compensation");

    Console.WriteLine();
    Console.WriteLine("The log, in order:");
    await foreach (var e in store.ReadAllAsync())
    {
        Console.WriteLine($"  {e.Position,3}  {e.StreamId,-22} {e.EventType}");
    }

    Console.WriteLine($"Handled {runner.HandledEvents} events in the process manager. Example 05 finished: every step behaved as described.");
    return 0;
}
catch (Exception ex)
{
    Console.Error.WriteLine($"Example 05 FAILED: {ex.GetType().Name}: {ex.Message}");
    return 1;
}
finally
{
    directory.Delete(recursive: true);
    Console.WriteLine($"(deleted {directory.FullName})");
}

static async Task<long> LastCommandPositionAsync(IEventStore store)
{
    long last = 0;
    await foreach (var e in store.ReadAllAsync(1, int.MaxValue, EventFilter.ForCategory("cmd-")))
    {
        last = e.Position;
    }

    return last;
}

static void Check(bool condition, string what)
{
    if (!condition)
    {
        throw new InvalidOperationException("check failed: " + what);
    }

    Console.WriteLine("  ok: " + what);
}
