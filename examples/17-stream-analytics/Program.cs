// Example 17: stream analytics on a live SQLite store. A writer appends orders at a steady rate with one burst;
// a subscription feeds the events, as they arrive, into (1) tumbling 1-minute revenue windows per category with a
// watermark, (2) an EWMA rate monitor that appends an anomaly event when the burst comes, and the projection daemon
// keeps (3) per-stream features (from append times), exported as CSV at the end. Event time is a payload field ("at"), so the example
// can play an hour of traffic in a second.
using System.Text;
using System.Text.Json;
using Eventuali;
using Eventuali.Projections;
using Eventuali.Statistics;
using Eventuali.Subscriptions;
using Eventuali.Tools.Analytics;

var directory = Directory.CreateTempSubdirectory("eventuali-example-17-");
try
{
    await using var store = await EventStore.CreateAsync("sqlite://" + Path.Combine(directory.FullName, "shop.db"));
    var start = new DateTimeOffset(2026, 1, 1, 9, 0, 0, TimeSpan.Zero);

    // The writer: 60 minutes of orders, about 20 a minute, and 200 in minute 40.
    var written = 0;
    for (var minute = 0; minute < 60; minute++)
    {
        var orders = minute == 40 ? 200 : 18 + (minute % 5);
        for (var i = 0; i < orders; i++)
        {
            var at = start.AddMinutes(minute).AddSeconds(i * 59.0 / orders);
            var json = JsonSerializer.Serialize(new { at, amount = 10 + (i % 7) });
            await store.AppendAsync($"order-{written % 50}", ExpectedVersion.Any, [new EventData(EventData.NewEventId(), "order-placed", Encoding.UTF8.GetBytes(json))]);
            written++;
        }
    }

    // (1) and (2): windows and the rate monitor, fed from a live subscription.
    static DateTimeOffset EventTime(RecordedEvent e) => JsonDocument.Parse(e.Data).RootElement.GetProperty("at").GetDateTimeOffset();
    var revenue = new List<ClosedWindow<string>>();
    var windows = new WindowedAggregation<string>(WindowSpec.Tumbling(TimeSpan.FromMinutes(1)), allowedLateness: TimeSpan.FromSeconds(30), revenue.Add);
    var anomalies = new List<AnomalyDetected<string>>();
    var monitor = new RateAnomalyMonitor<string>(WindowSpec.Tumbling(TimeSpan.FromMinutes(1)), TimeSpan.FromSeconds(30),
        () => new EwmaDetector(alpha: 0.2, threshold: 4, warmup: 10), anomalies.Add);

    var read = 0;
    using (var stop = new CancellationTokenSource(TimeSpan.FromMinutes(1)))
    {
        await foreach (var e in store.SubscribeToAllAsync(filter: EventFilter.ForCategory("order-"), cancellationToken: stop.Token))
        {
            var category = StreamCategories.Of(e.StreamId);
            windows.Add(e, _ => category, x => JsonDocument.Parse(x.Data).RootElement.GetProperty("amount").GetDouble(), EventTime);
            monitor.Add(category, EventTime(e));
            if (++read == written)
            {
                break; // a real consumer runs until it is stopped
            }
        }
    }

    windows.Flush();
    monitor.Flush();
    foreach (var anomaly in anomalies)
    {
        await store.AppendAsync("anomalies", ExpectedVersion.Any, [anomaly.ToEventData()]);
        Console.WriteLine("anomaly: " + anomaly);
    }

    Console.WriteLine($"{revenue.Count} one-minute windows; minute 40: {revenue[40].Aggregates["order"].Count} orders, revenue {revenue[40].Aggregates["order"].Sum}; late events: {windows.LateEvents}.");
    Check(revenue.Count == 60 && revenue[40].Aggregates["order"].Count == 200, "60 windows, 200 orders in minute 40");
    Check(anomalies.Count == 1 && anomalies[0].WindowStart == start.AddMinutes(40), "exactly one anomaly, in minute 40");

    // (3): per-stream features kept by the projection daemon, exported as CSV.
    await using (var daemon = new ProjectionDaemon(store, [new StreamFeaturesProjection("order-features", ["order-placed"], amountProperty: "amount")]))
    {
        await daemon.StartAsync();
        await daemon.WaitForCatchUpAsync("order-features");
    }

    var csv = new StringBuilder(StreamFeatures.CsvHeader).Append('\n');
    var streams = 0;
    await foreach (var document in store.GetProjectionStore().ReadProjectionDocumentsAsync("order-features"))
    {
        csv.Append(StreamFeatures.FromJson(document.Json).ToCsv(store.Options.TimeProvider.GetUtcNow())).Append('\n');
        streams++;
    }

    Console.Write(string.Join('\n', csv.ToString().Split('\n').Take(4)) + "\n...\n");
    Check(streams == 50, "features for all 50 order streams");
    Console.WriteLine("OK");
    return 0;
}
finally
{
    directory.Delete(recursive: true);
}

static void Check(bool condition, string what)
{
    if (!condition)
    {
        throw new InvalidOperationException("check failed: " + what);
    }
}
