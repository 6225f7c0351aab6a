// Example 13: a real-time dashboard. One process serves the web admin UI (app.MapEventuali()) over a SQLite store
// while a writer appends orders (every tenth one cancelled) for a bounded time. It prints the UI's URL and a one-time
// admin key to log in with, and checks over HTTP, as any browser or non-.NET client would, that the live server-sent
// event feed delivers exactly what the writer wrote: the same events, in order, with the same revenue.
//   dotnet run --project examples/13-realtime-dashboard -- [--seconds 5] [--urls http://127.0.0.1:5080]
using System.Globalization;
using Dashboard;
using Eventuali;
using Eventuali.Hosting;
using Eventuali.Server;
using Eventuali.Typed;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

var seconds = Option(args, "--seconds", "5");
var urls = Option(args, "--urls", "http://127.0.0.1:0");
if (!int.TryParse(seconds, CultureInfo.InvariantCulture, out var runSeconds) || runSeconds is < 1 or > 86_400)
{
    Console.Error.WriteLine($"Example 13: --seconds must be a whole number from 1 to 86400, not '{seconds}'.");
    return 2;
}

string[] regions = ["north", "south", "east", "west"];
var directory = Directory.CreateTempSubdirectory("eventuali-example-13-");
var url = "sqlite://" + Path.Combine(directory.FullName, "shop.db");
WebApplication? app = null;
try
{
    var builder = WebApplication.CreateSlimBuilder(args);
    builder.Logging.ClearProviders();
    builder.WebHost.UseUrls(urls);
    builder.Services.AddEventuali(o =>
    {
        o.Url = url;
        o.StoreOptions = new EventStoreOptions { Types = new EventTypeRegistry().RegisterAssembly(typeof(Figures).Assembly) };
    });
    builder.Services.AddEventualiServer();
    app = builder.Build();
    app.MapEventuali();
    await app.StartAsync();
    var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
    var store = app.Services.GetRequiredService<IEventStore>();

    // Shown once and never stored in plain text; it stops working a minute after the run ends.
    var key = await app.Services.GetRequiredService<ApiKeyStore>().CreateAsync(ApiRole.Admin, expiresAt: DateTimeOffset.UtcNow.AddSeconds(runSeconds + 60));
    Console.WriteLine($"Dashboard: {address}/ui/ (store {url}), serving for {runSeconds} s while a writer appends orders.");
    Console.WriteLine($"One-time admin key (log in with it; it is not shown again): {key.Key}");

    // The feed is opened before the writer starts, from the first position, so nothing written can be missed.
    using var http = new HttpClient { BaseAddress = new Uri(address), Timeout = Timeout.InfiniteTimeSpan };
    http.DefaultRequestHeaders.Add("X-Api-Key", key.Key);
    using var feedStop = new CancellationTokenSource();
    var feed = new SseFeed(http);
    var reading = feed.ReadAsync("/subscribe/all?from=1", feedStop.Token);

    var written = new List<(string Type, decimal Amount)>();
    using (var pace = new PeriodicTimer(TimeSpan.FromMilliseconds(25)))
    {
        var until = DateTimeOffset.UtcNow.AddSeconds(runSeconds);
        var nextReport = DateTimeOffset.UtcNow.AddSeconds(1);
        for (var i = 0; DateTimeOffset.UtcNow < until && await pace.WaitForNextTickAsync(); i++)
        {
            var id = $"o-{i}";
            var region = regions[i % regions.Length];
            var amount = 10m + (i * 37 % 190);
            await store.AppendAsync("order-" + id, ExpectedVersion.NoStream, [store.Options.Types.ToEventData(new OrderPlaced(id, region, amount))]);
            written.Add(("shop.order-placed", amount));
            if (i % 10 == 7)
            {
                await store.AppendAsync("order-" + id, ExpectedVersion.Exact(1), [store.Options.Types.ToEventData(new OrderCancelled(id, region, amount))]);
                written.Add(("shop.order-cancelled", amount));
            }

            if (DateTimeOffset.UtcNow >= nextReport)
            {
                nextReport = nextReport.AddSeconds(1);
                var f = feed.Figures;
                Console.WriteLine($"  written {written.Count,5}  delivered over SSE {f.Events,5}  orders {f.Orders,4}  cancelled {f.Cancelled,3}  revenue {f.Revenue,10:0.00}");
            }
        }
    }

    // The writer stopped; the feed has a generous deadline to deliver the rest.
    var deadline = DateTimeOffset.UtcNow.AddSeconds(60);
    await feed.WaitForAsync(written.Count, deadline);
    await feedStop.CancelAsync();
    await reading;

    var figures = feed.Figures;
    Console.WriteLine($"Wrote {written.Count} events in {runSeconds} s; the SSE feed delivered {figures.Events}.");
    foreach (var (region, (orders, revenue)) in figures.Regions)
    {
        Console.WriteLine($"  {region,-6} {orders,4} orders  {revenue,10:0.00}");
    }

    Check(figures.Events == written.Count, $"the SSE feed delivered all {written.Count} events the writer wrote, and no more");
    Check(feed.Types.SequenceEqual(written.Select(w => w.Type)), "in the order they were written");
    Check(feed.PositionsIncrease, "each once, at increasing positions");
    var expectedRevenue = written.Sum(w => w.Type == "shop.order-placed" ? w.Amount : -w.Amount);
    Check(figures.Revenue == expectedRevenue, $"the revenue computed from the feed ({figures.Revenue:0.00}) equals the writer's own total");
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
    if (app is not null)
    {
        await app.StopAsync();
        await app.DisposeAsync();
    }

    Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
    directory.Delete(recursive: true);
    Console.WriteLine($"(deleted {directory.FullName})");
}

static string Option(string[] args, string name, string fallback)
{
    var at = Array.IndexOf(args, name);
    return at >= 0 && at + 1 < args.Length ? args[at + 1] : fallback;
}

static void Check(bool condition, string what)
{
    if (!condition)
    {
        throw new InvalidOperationException("check failed: " + what);
    }

    Console.WriteLine("  ok: " + what);
}
