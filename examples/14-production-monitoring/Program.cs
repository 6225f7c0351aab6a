// Example 14: production monitoring. A hosted ASP.NET Core app registers Eventuali with AddEventuali, runs a
// projection as a hosted service, maps health checks and a Prometheus /metrics endpoint, writes load, scrapes its own
// endpoint and prints the lag and append p99 it reads there, then stops the projection and watches readiness fail.
// Every figure printed is measured in this run.
using System.Diagnostics;
using System.Net;
using Eventuali;
using Eventuali.Hosting;
using Eventuali.OpenTelemetry.Prometheus;
using Eventuali.Projections;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Monitoring;

var directory = Directory.CreateTempSubdirectory("eventuali-example-14-");
var url = "sqlite://" + Path.Combine(directory.FullName, "orders.db");
string[] customers = ["alice", "bob", "carol", "dave", "erin", "frank", "grace", "heidi"];
const string PayloadMarker = "card-4111-1111"; // stands for personal data in a payload: must never reach /metrics
WebApplication? app = null;
try
{
    var builder = WebApplication.CreateSlimBuilder(args);
    builder.Logging.ClearProviders(); // the example prints what it measured; the app's own logs would drown it
    builder.WebHost.UseUrls("http://127.0.0.1:0");
    builder.Services.AddEventuali(o =>
    {
        o.Url = url;
        o.HealthChecks.MaxProjectionLag = TimeSpan.FromSeconds(2);
    });
    builder.Services.AddEventualiProjections(_ => [new OrderTotals()]);
    builder.Services.AddHealthChecks().AddEventualiHealthChecks();
    builder.Services.AddEventualiMetrics();
    app = builder.Build();
    app.MapHealthChecks("/health/live", HealthEndpoints.Options(EventualiHealthChecks.LiveTag));
    app.MapHealthChecks("/health/ready", HealthEndpoints.Options(EventualiHealthChecks.ReadyTag));
    app.MapEventualiMetrics();
    await app.StartAsync();
    var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
    using var http = new HttpClient { BaseAddress = new Uri(address) };
    Console.WriteLine($"App listening on {address}, store {url}");

    // Load: 4 writers append 3,000 orders; each append is timed by the writer too, to compare with the metric.
    var store = app.Services.GetRequiredService<IEventStore>();
    var clock = Stopwatch.StartNew();
    var latencies = await WriteLoadAsync(store, first: 0, count: 3000, writers: 4);
    var elapsed = clock.Elapsed;
    Console.WriteLine($"Wrote {latencies.Length:N0} orders with 4 writers in {elapsed.TotalMilliseconds:N0} ms ({latencies.Length / elapsed.TotalSeconds:N0} appends/s).");

    var daemon = app.Services.GetRequiredService<ProjectionDaemon>();
    var caughtUp = await daemon.WaitForCatchUpAsync(OrderTotals.ProjectionName).WaitAsync(TimeSpan.FromMinutes(2));
    Console.WriteLine($"Projection {OrderTotals.ProjectionName} caught up at position {caughtUp.Position}.");

    var ready = await HealthEndpoints.GetAsync(http, "/health/ready");
    Console.WriteLine($"GET /health/ready -> {(int)ready.Status} {ready.Status}");
    Check(ready.Status == HttpStatusCode.OK, "readiness is healthy while the projection keeps up");

    var scrape = await http.GetStringAsync(new Uri("/metrics", UriKind.Relative));
    var metrics = new PrometheusText(scrape);
    var appended = metrics.Sum("eventuali_events_appended_total");
    var p99Metric = metrics.Quantile(0.99, "eventuali_append_duration_seconds");
    var p99Client = Percentile(latencies, 0.99);
    Console.WriteLine($"GET /metrics -> {scrape.Length:N0} bytes, {metrics.Samples.Count} samples");
    Console.WriteLine($"  eventuali_events_appended_total           {appended:N0}");
    Console.WriteLine($"  append p99 from the histogram buckets    {p99Metric * 1000:N2} ms (the writers' own clock: {p99Client * 1000:N2} ms)");
    Console.WriteLine($"  projection lag                           {metrics.Max("eventuali_projection_lag"):N0} events, {metrics.Max("eventuali_projection_lag_time_seconds"):N3} s");
    Check(appended >= latencies.Length, $"the endpoint counts every appended event ({appended} >= {latencies.Length})");
    Check(!double.IsNaN(p99Metric) && p99Metric > 0, "the append duration histogram has samples");
    Check(!scrape.Contains(PayloadMarker, StringComparison.Ordinal) && !scrape.Contains("order-1", StringComparison.Ordinal),
        "no payload or stream id appears on /metrics");

    // Trip readiness: stop the projection, keep writing, and wait for the lag check to notice.
    await app.Services.GetRequiredService<ProjectionDaemonHostedService>().StopAsync(CancellationToken.None);
    Console.WriteLine("Stopped the projection daemon; writing 200 more orders.");
    await WriteLoadAsync(store, first: 3000, count: 200, writers: 2);
    clock.Restart();
    var unready = await HealthEndpoints.WaitForAsync(http, "/health/ready", HttpStatusCode.ServiceUnavailable, TimeSpan.FromMinutes(1));
    Console.WriteLine($"GET /health/ready -> {(int)unready.Status} {unready.Status} after {clock.Elapsed.TotalSeconds:N1} s:");
    foreach (var line in unready.FailingChecks)
    {
        Console.WriteLine($"  {line}");
    }

    Check(unready.FailingChecks.Any(l => l.StartsWith(EventualiHealthChecks.ProjectionLag, StringComparison.Ordinal)),
        "the projection-lag check is what failed");
    var live = await HealthEndpoints.GetAsync(http, "/health/live");
    Console.WriteLine($"GET /health/live -> {(int)live.Status} {live.Status} (the process is alive; only readiness fails)");
    var after = new PrometheusText(await http.GetStringAsync(new Uri("/metrics", UriKind.Relative)));
    Console.WriteLine($"  projection lag series now                {(after.Has("eventuali_projection_lag") ? "still reported" : "gone: the lag gauges come from a running daemon; readiness reads the stored position")}");

    Console.WriteLine("Example 14 finished: every step behaved as described.");
    return 0;
}
catch (Exception ex)
{
    Console.Error.WriteLine($"Example 14 FAILED: {ex.GetType().Name}: {ex.Message}");
    return 1;
}
finally
{
    if (app is not null)
    {
        await app.StopAsync();
        await app.DisposeAsync();
    }

    SqliteConnection.ClearAllPools();
    directory.Delete(recursive: true);
    Console.WriteLine($"(deleted {directory.FullName})");
}

async Task<double[]> WriteLoadAsync(IEventStore store, int first, int count, int writers)
{
    var latencies = new double[count];
    await Parallel.ForAsync(0, writers, async (w, ct) =>
    {
        for (var i = w; i < count; i += writers)
        {
            var n = first + i;
            var customer = customers[n % customers.Length];
            var started = Stopwatch.GetTimestamp();
            await store.AppendAsync($"order-{n}", ExpectedVersion.NoStream,
                [OrderTotals.Placed(customer, 10m + (n % 7)), EventData.Json("order-paid", $$"""{"card":"{{PayloadMarker}}"}""")], ct);
            latencies[i] = Stopwatch.GetElapsedTime(started).TotalSeconds;
        }
    });
    return latencies;
}

static double Percentile(double[] values, double q)
{
    var sorted = values.Order().ToArray();
    return sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(q * sorted.Length) - 1)];
}

static void Check(bool condition, string what)
{
    if (!condition)
    {
        throw new InvalidOperationException("check failed: " + what);
    }

    Console.WriteLine($"  ok: {what}");
}
