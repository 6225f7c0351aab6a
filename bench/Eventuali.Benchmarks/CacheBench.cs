using System.Diagnostics;
using System.Globalization;
using Eventuali.Caching;
using Eventuali.Caching.Redis;
using Eventuali.Snapshots;
using Eventuali.Typed;

namespace Eventuali.Benchmarks;

// Load-aggregate with a warm Redis aggregate cache against without it, on the same store and aggregates:
//   dotnet run -c Release --project bench/Eventuali.Benchmarks -- cache <store URL> <redis://user:pass@host:port> [aggregates] [events] [loads]
// Each side runs three times; the medians are printed with the ratio and the load average.
internal static class CacheBench
{
    public static async Task<int> RunAsync(string[] args)
    {
        if (args.Length < 3)
        {
            Console.Error.WriteLine("usage: Eventuali.Benchmarks cache <store URL (sqlite://... or postgresql://...)> <redis URL> [aggregates=20] [events=1000] [loads=400]");
            return 2;
        }

        var storeUrl = args[1];
        var redisUrl = args[2];
        var aggregates = args.Length > 3 ? int.Parse(args[3], CultureInfo.InvariantCulture) : 20;
        var events = args.Length > 4 ? int.Parse(args[4], CultureInfo.InvariantCulture) : 1000;
        var loads = args.Length > 5 ? int.Parse(args[5], CultureInfo.InvariantCulture) : 400;
        var run = Guid.NewGuid().ToString("N")[..8];
        var ids = Enumerable.Range(0, aggregates).Select(i => $"{run}-{i}").ToArray();

        await using (var writer = await EventStore.CreateAsync(storeUrl))
        {
            foreach (var id in ids)
            {
                var account = new CacheBenchAccount();
                for (var n = 0; n < events; n++)
                {
                    account.Deposit(id, n % 97, "deposit note " + n);
                    if (account.UncommittedEvents.Count == 100)
                    {
                        await writer.SaveAsync(account);
                    }
                }

                await writer.SaveAsync(account);
            }
        }

        await using var cache = await RedisAggregateCache.ConnectAsync(redisUrl, new RedisAggregateCacheOptions { KeyPrefix = $"eventuali-bench:{run}:" });
        var without = new List<double>();
        var with = new List<double>();
        await using (var direct = await EventStore.OpenExistingAsync(storeUrl))
        await using (var cached = await EventStore.OpenExistingAsync(storeUrl, new EventStoreOptions { AggregateCache = cache }))
        {
            await cached.WarmAggregateCacheAsync<CacheBenchAccount>(ids);
            for (var round = 0; round < 3; round++)
            {
                without.Add(await MeasureAsync(direct, ids, loads, events, expectCached: false));
                with.Add(await MeasureAsync(cached, ids, loads, events, expectCached: true));
            }
        }

        var a = Median(without);
        var b = Median(with);
        var load = File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Split(' ')[0] : "n/a";
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $$"""{"workload":"load-aggregate","events_per_aggregate":{{events}},"loads":{{loads}},"without_cache_loads_per_sec":{{a:0.#}},"warm_redis_cache_loads_per_sec":{{b:0.#}},"speedup":{{b / a:0.##}},"without_ms":{{1000 / a:0.###}},"with_ms":{{1000 / b:0.###}},"runs":[{{string.Join(',', without.Select(x => x.ToString("0.#", CultureInfo.InvariantCulture)))}}],"cached_runs":[{{string.Join(',', with.Select(x => x.ToString("0.#", CultureInfo.InvariantCulture)))}}],"cache":"{{cache.Statistics}}","load_average_1m":"{{load}}"}"""));
        return 0;
    }

    private static async Task<double> MeasureAsync(IEventStore store, string[] ids, int loads, int events, bool expectCached)
    {
        var watch = Stopwatch.StartNew();
        for (var i = 0; i < loads; i++)
        {
            var result = await store.LoadWithReportAsync<CacheBenchAccount>(ids[i % ids.Length]);
            if (result.Aggregate.Version != events || (result.CachedVersion is not null) != expectCached)
            {
                throw new InvalidOperationException($"load {i} came back at version {result.Aggregate.Version} (cached: {result.CachedVersion}); expected {events} (cached: {expectCached}).");
            }
        }

        return loads / watch.Elapsed.TotalSeconds;
    }

    private static double Median(List<double> values) => values.Order().ElementAt(values.Count / 2);
}

[EventType("bench.cache.deposited")]
public sealed record CacheBenchDeposited(string AccountId, decimal Amount, string Note);

public sealed class CacheBenchState
{
    public decimal Balance { get; set; }

    public int Deposits { get; set; }

    public string LastNote { get; set; } = string.Empty;
}

/// <summary>An account of 1,000 deposits: applying each is cheap, so the figures measure reading, not domain logic.</summary>
[StreamCategory("bench-account")]
public sealed class CacheBenchAccount : Aggregate, ISnapshottable<CacheBenchState>
{
    private CacheBenchState _state = new();

    public void Deposit(string id, decimal amount, string note) => Raise(new CacheBenchDeposited(id, amount, note));

    public CacheBenchState CaptureSnapshot() => _state;

    public void RestoreSnapshot(CacheBenchState state) => _state = state;

    private void Apply(CacheBenchDeposited e)
    {
        Id = e.AccountId;
        _state.Balance += e.Amount;
        _state.Deposits++;
        _state.LastNote = e.Note;
    }
}
