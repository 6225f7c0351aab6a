// Example 13: a live dashboard. A writer appends orders (and some cancellations) to a real SQLite file while a
// subscription computes figures from the event stream; on a terminal the figures update in place
// (Spectre.Console live display), when piped they print as plain lines. It stops after a fixed number of events.
using System.Diagnostics;
using Dashboard;
using Eventuali;
using Eventuali.Subscriptions;
using Eventuali.Typed;
using Spectre.Console;

const int Total = 600;
string[] regions = ["north", "south", "east", "west"];
var directory = Directory.CreateTempSubdirectory("eventuali-example-13-");
var url = "sqlite://" + Path.Combine(directory.FullName, "shop.db");
try
{
    var options = new EventStoreOptions { Types = new EventTypeRegistry().RegisterAssembly(typeof(Figures).Assembly) };
    await using var store = await EventStore.CreateAsync(url, options);
    Console.WriteLine($"Store: {url}; {Total} events, writer and dashboard running together.");

    // The writer: every tenth order is cancelled right after it is placed. It keeps its own totals to check against.
    decimal expectedRevenue = 0;
    var writer = Task.Run(async () =>
    {
        var written = 0;
        for (var i = 0; written < Total; i++)
        {
            var id = $"o-{i}";
            var region = regions[i % regions.Length];
            var amount = 10m + (i * 37 % 190);
            await store.AppendAsync("order-" + id, ExpectedVersion.NoStream, [store.Options.Types.ToEventData(new OrderPlaced(id, region, amount))]);
            written++;
            expectedRevenue += amount;
            if (i % 10 == 7 && written < Total)
            {
                await store.AppendAsync("order-" + id, ExpectedVersion.Exact(1), [store.Options.Types.ToEventData(new OrderCancelled(id, region, amount))]);
                written++;
                expectedRevenue -= amount;
            }
        }
    });

    var figures = new Figures();
    var clock = Stopwatch.StartNew();
    using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(60));
    var live = !Console.IsOutputRedirected && AnsiConsole.Profile.Capabilities.Interactive;
    if (live)
    {
        await AnsiConsole.Live(Render(figures, 0, clock.Elapsed)).StartAsync(async ctx =>
        {
            await FollowAsync(store, figures, stop.Token, async f => ctx.UpdateTarget(Render(f, await store.GetHeadPositionAsync(), clock.Elapsed)));
        });
    }
    else
    {
        await FollowAsync(store, figures, stop.Token, async f => Console.WriteLine(
            $"  {clock.Elapsed.TotalMilliseconds,6:0} ms  events {f.Events,4}  lag {await store.GetHeadPositionAsync() - f.Position,4}  orders {f.Orders,4}  cancelled {f.Cancelled,3}  revenue {f.Revenue,9:0.00}"));
    }

    await writer;
    var rate = figures.Events / clock.Elapsed.TotalSeconds;
    Console.WriteLine($"Read {figures.Events} events in {clock.Elapsed.TotalMilliseconds:0} ms while they were written ({rate:0} events/s, writer-bound: one durable append per event).");
    foreach (var (region, (orders, revenue)) in figures.Regions)
    {
        Console.WriteLine($"  {region,-6} {orders,4} orders  {revenue,10:0.00}");
    }

    Check(figures.Events == Total && figures.Position == await store.GetHeadPositionAsync(), $"the dashboard saw all {Total} events");
    Check(figures.Revenue == expectedRevenue && figures.Regions.Values.Sum(r => r.Revenue) == expectedRevenue, $"its revenue {figures.Revenue:0.00} equals the writer's own total");
    Console.WriteLine("Example 13 finished: every step behaved as described.");
    return 0;
}
catch (Exception ex)
{
    Console.Error.WriteLine($"Example 13 FAILED: {ex.GetType().Name}: {ex.Message}");
    return 1;
}
finally
{
    directory.Delete(recursive: true);
    Console.WriteLine($"(deleted {directory.FullName})");
}

// Follows the log until Total events are in; refreshes the view every 50 events and at the end.
static async Task FollowAsync(IEventStore store, Figures figures, CancellationToken ct, Func<Figures, Task> show)
{
    await foreach (var e in store.SubscribeToAllAsync(0, null, ct))
    {
        figures.Apply(store.Options.Types.Deserialize(e), e.Position);
        if (figures.Events % 50 == 0 || figures.Events == Total)
        {
            await show(figures);
        }

        if (figures.Events == Total)
        {
            return;
        }
    }
}

static Table Render(Figures f, long head, TimeSpan elapsed)
{
    var table = new Table().Title($"[bold]Orders, live[/] ({elapsed.TotalSeconds:0.0} s, {f.Events}/{Total} events, lag {Math.Max(0, head - f.Position)})");
    table.AddColumn("Region");
    table.AddColumn(new TableColumn("Orders").RightAligned());
    table.AddColumn(new TableColumn("Revenue").RightAligned());
    foreach (var (region, (orders, revenue)) in f.Regions)
    {
        table.AddRow(region, orders.ToString(), revenue.ToString("0.00"));
    }

    table.AddRow("[bold]all[/]", $"[bold]{f.Orders - f.Cancelled}[/]", $"[bold]{f.Revenue:0.00}[/]");
    table.Caption($"{f.Orders} placed, {f.Cancelled} cancelled");
    return table;
}

static void Check(bool condition, string what)
{
    if (!condition)
    {
        throw new InvalidOperationException("check failed: " + what);
    }

    Console.WriteLine("  ok: " + what);
}
