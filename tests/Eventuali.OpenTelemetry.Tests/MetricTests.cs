using Eventuali.Diagnostics;
using OpenTelemetry.Metrics;

namespace Eventuali.OpenTelemetry.Tests;

public sealed class MetricTests
{
    private static readonly double[] SecondBounds = [0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];
    private static readonly double[] SizeBounds = [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 5000];

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Appends_and_reads_are_measured_with_the_fixed_names_units_buckets_and_bounded_attributes()
    {
        await using var stores = new Stores();
        using var collected = new Collected();
        var store = await stores.OpenAsync("sqlite");
        var stream = $"{Stores.NewCategory()}-1";
        await store.AppendAsync(stream, ExpectedVersion.NoStream, [Stores.Event(), Stores.Event(), Stores.Event()], Ct);
        await Assert.ThrowsAsync<ConcurrencyException>(async () => await store.AppendAsync(stream, ExpectedVersion.NoStream, [Stores.Event()], Ct));
        await store.ReadStreamAsync(stream, cancellationToken: Ct).ToListAsync(Ct);
        await store.ReadAllAsync(cancellationToken: Ct).ToListAsync(Ct);

        var append = collected.Metric(EventualiInstruments.AppendDuration);
        Assert.Equal("s", append.Unit);
        Assert.Equal(MetricType.Histogram, append.MetricType);
        var points = Points.Of(append);
        var ok = Assert.Single(points, p => !p.Tags.ContainsKey("error.type"));
        Assert.Equal("sqlite", ok.Tags["db.system.name"]);
        Assert.Equal(1, ok.Count);
        Assert.Equal([.. SecondBounds, double.PositiveInfinity], ok.Bounds);
        var failed = Assert.Single(points, p => p.Tags.ContainsKey("error.type"));
        Assert.Equal("Eventuali.ConcurrencyException", failed.Tags["error.type"]);

        var read = Points.Of(collected.Metric(EventualiInstruments.ReadDuration));
        Assert.Contains(read, p => Equals(p.Tags["db.operation.name"], "read_stream") && p.Count == 1);
        Assert.Contains(read, p => Equals(p.Tags["db.operation.name"], "read_all") && p.Count == 1);

        var appended = collected.Metric(EventualiInstruments.EventsAppended);
        Assert.Equal("{event}", appended.Unit);
        Assert.Equal(3, Assert.Single(Points.Of(appended)).LongValue);
        Assert.Equal(6, Assert.Single(Points.Of(collected.Metric(EventualiInstruments.EventsRead))).LongValue);

        var conflicts = collected.Metric(EventualiInstruments.AppendConflicts);
        Assert.Equal("{conflict}", conflicts.Unit);
        Assert.Equal(1, Assert.Single(Points.Of(conflicts)).LongValue);

        var sizes = collected.Metric(EventualiInstruments.AppendBatchSize);
        Assert.Equal("{event}", sizes.Unit);
        Assert.Equal([.. SizeBounds, double.PositiveInfinity], Assert.Single(Points.Of(sizes)).Bounds);

        var group = collected.Metric(EventualiInstruments.GroupCommitBatchSize);
        Assert.Equal("{append}", group.Unit);
        Assert.True(Assert.Single(Points.Of(group)).Count >= 1);

        // Only bounded attribute keys on any Eventuali measurement: never a stream id, never a payload.
        var all = collected.All();
        Assert.NotEmpty(all);
        var allowed = new HashSet<string>(["db.system.name", "db.operation.name", "error.type", "db.client.connection.state", "db.client.connection.pool.name"]);
        foreach (var metric in all)
        {
            foreach (var p in Points.Of(metric))
            {
                Assert.All(p.Tags.Keys, k => Assert.Contains(k, allowed));
                Assert.DoesNotContain(p.Tags.Values, v => v is string s && s.Contains(stream, StringComparison.Ordinal));
            }
        }
    }

    [Fact]
    public async Task Sqlite_read_connections_are_counted_idle_or_used_under_the_store_location()
    {
        await using var stores = new Stores();
        using var collected = new Collected();
        var store = await stores.OpenAsync("sqlite");
        await store.AppendAsync($"{Stores.NewCategory()}-1", ExpectedVersion.Any, [Stores.Event()], Ct);
        await store.ReadAllAsync(cancellationToken: Ct).ToListAsync(Ct);

        var connections = collected.Metric(EventualiInstruments.ConnectionCount);
        Assert.Equal("{connection}", connections.Unit);
        var points = Points.Of(connections).Where(p => (p.Tags["db.client.connection.pool.name"] as string)!.EndsWith("events.db", StringComparison.Ordinal)).ToList();
        Assert.Equal(["idle", "used"], points.Select(p => (string)p.Tags["db.client.connection.state"]!).Order());
        Assert.True(points.Single(p => Equals(p.Tags["db.client.connection.state"], "idle")).LongValue >= 1);
    }

    [Fact]
    public async Task A_closed_store_stops_reporting_its_connections()
    {
        await using var stores = new Stores();
        using var collected = new Collected();
        var store = await stores.OpenAsync("sqlite");
        bool Reported() => collected.All().Where(m => m.Name == EventualiInstruments.ConnectionCount).SelectMany(Points.Of)
            .Any(p => p.Tags.TryGetValue("db.client.connection.pool.name", out var n) && n is string s && s.StartsWith(stores.Dir, StringComparison.Ordinal));
        Assert.True(Reported());

        await store.DisposeAsync();

        Assert.False(Reported());
    }
}
