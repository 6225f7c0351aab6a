using Eventuali.Typed;

namespace Eventuali.Benchmarking;

/// <summary>The benchmark's event: about 150 bytes of JSON through the typed layer.</summary>
[EventType("benchmark-deposited")]
internal sealed record BenchmarkDeposited(string AccountId, decimal Amount, string Currency, string Note, string Reference, string Channel);

/// <summary>The aggregate the load-aggregate workload replays.</summary>
[StreamCategory("bench")]
internal sealed class BenchmarkAccount : Aggregate
{
    public decimal Balance { get; private set; }

    public int Deposits { get; private set; }

    private void Apply(BenchmarkDeposited e)
    {
        Balance += e.Amount;
        Deposits++;
    }
}
