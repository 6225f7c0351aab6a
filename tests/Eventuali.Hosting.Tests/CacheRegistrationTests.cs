using Eventuali.Caching;
using Eventuali.Snapshots;
using Eventuali.Typed;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Eventuali.Hosting.Tests;

[EventType("hosting-tests.counted")]
public sealed record Counted(string CounterId, int By);

[StreamCategory("hosting-counter")]
public sealed class HostedCounter : Aggregate, ISnapshottable<long>
{
    public long Total { get; private set; }

    public void Count(string id, int by) => Raise(new Counted(id, by));

    public long CaptureSnapshot() => Total;

    public void RestoreSnapshot(long state) => Total = state;

    private void Apply(Counted e)
    {
        Id = e.CounterId;
        Total += e.By;
    }
}

public sealed class CacheRegistrationTests
{
    private static CancellationToken Ct => TestHost.Ct;

    [Fact]
    public async Task A_registered_cache_serves_the_store_AddEventuali_opens()
    {
        var builder = TestHost.Builder(new Dictionary<string, string?>());
        builder.Services.AddEventuali("memory://");
        builder.Services.AddEventualiMemoryAggregateCache(maxEntries: 100);
        var host = builder.Build();
        await using var disposeHost = (IAsyncDisposable)host;
        await host.StartAsync(Ct);

        var store = host.Services.GetRequiredService<IEventStore>();
        var cache = host.Services.GetRequiredService<IAggregateCache>();
        Assert.Same(cache, store.Options.AggregateCache);
        var counter = new HostedCounter();
        counter.Count("c1", 5);
        counter.Count("c1", 7);
        await store.SaveAsync(counter, cancellationToken: Ct);
        var load = await store.LoadWithReportAsync<HostedCounter>("c1", cancellationToken: Ct);
        Assert.Equal((2L, 12L), (load.CachedVersion, load.Aggregate.Total));
        Assert.Equal(1, cache.Statistics.Hits);
        await host.StopAsync(Ct);
    }
}
