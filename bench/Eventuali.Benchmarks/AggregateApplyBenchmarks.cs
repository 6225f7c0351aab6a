using BenchmarkDotNet.Attributes;
using Eventuali.InMemory;
using Eventuali.Typed;

namespace Eventuali.Benchmarks;

/// <summary>Replaying a 50-event stream into an aggregate: compiled Apply dispatch plus deserialization, store overhead in memory.</summary>
[MemoryDiagnoser]
public class AggregateApplyBenchmarks : IAsyncDisposable
{
    private InMemoryEventStore _store = null!;

    [GlobalSetup]
    public async Task Setup()
    {
        _store = new InMemoryEventStore();
        var account = new BenchAccount();
        account.Open("acc-1");
        for (var i = 0; i < 49; i++)
        {
            account.Deposit(i + 0.5m);
        }

        await _store.SaveAsync(account);
    }

    [GlobalCleanup]
    public ValueTask DisposeAsync()
    {
        GC.SuppressFinalize(this);
        return _store.DisposeAsync();
    }

    [Benchmark(OperationsPerInvoke = 50)]
    public async Task<decimal> Load50Events() => (await _store.LoadAsync<BenchAccount>("acc-1"))!.Balance;
}
