using Eventuali.Snapshots;
using Eventuali.Typed;

namespace Eventuali.Benchmarking;

/// <summary>The benchmark's event: about 150 bytes of JSON through the typed layer.</summary>
[EventType("benchmark-deposited")]
internal sealed record BenchmarkDeposited(string AccountId, decimal Amount, string Currency, string Note, string Reference, string Channel);

/// <summary>The aggregate the load-aggregate workload replays (no snapshots: a load reads only the events).</summary>
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

/// <summary>
/// The same aggregate over the same streams, opted in to snapshots: loads with <c>--snapshot-every</c> use it, so
/// they pay the snapshot lookup and the plain workload does not.
/// </summary>
[StreamCategory("bench")]
internal sealed class SnapshottedBenchmarkAccount : Aggregate, ISnapshottable<BenchmarkAccountState>
{
    public decimal Balance { get; private set; }

    public int Deposits { get; private set; }

    public BenchmarkAccountState CaptureSnapshot() => new(Balance, Deposits);

    public void RestoreSnapshot(BenchmarkAccountState state)
    {
        ArgumentNullException.ThrowIfNull(state);
        (Balance, Deposits) = (state.Balance, state.Deposits);
    }

    private void Apply(BenchmarkDeposited e)
    {
        Balance += e.Amount;
        Deposits++;
    }
}

/// <summary>The snapshot state of <see cref="SnapshottedBenchmarkAccount"/>.</summary>
internal sealed record BenchmarkAccountState(decimal Balance, int Deposits);
