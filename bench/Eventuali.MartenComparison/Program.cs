using Eventuali.MartenComparison;

// Marten side of the comparison; the Eventuali side is added once its benchmark engine lands.
var url = Environment.GetEnvironmentVariable("EVENTUALI_TEST_POSTGRES") ?? "postgresql://eventuali:eventuali@127.0.0.1:54329/eventuali";
var uri = new Uri(url);
var userInfo = uri.UserInfo.Split(':');
var cs = $"Host={uri.Host};Port={uri.Port};Database={uri.AbsolutePath.TrimStart('/')};Username={Uri.UnescapeDataString(userInfo[0])};Password={Uri.UnescapeDataString(userInfo.ElementAtOrDefault(1) ?? "")}";
var events = args.Length > 0 ? int.Parse(args[0], System.Globalization.CultureInfo.InvariantCulture) : 20_000;
await using var marten = new MartenWorkloads(cs);
var ct = CancellationToken.None;
foreach (var m in new[]
{
    await marten.AppendBatchAsync(events, 50, ct),
    await marten.LoadAggregateAsync(events, 50, ct),
    await marten.ReadAllAsync(events, 4096, ct),
    await marten.AppendSingleAsync(Math.Min(events, 2_000), ct),
    await marten.AppendConcurrentAsync(Math.Min(events, 6_400), 32, ct),
})
{
    Console.WriteLine($"{m.Workload,-18} {m.Store,-8} {m.EventsPerSec,10:N0} ev/s  p50 {m.P50Ms:N2} ms  p99 {m.P99Ms:N2} ms");
}
