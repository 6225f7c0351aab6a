using Eventuali.Typed;

namespace Eventuali.Benchmarks;

[EventType("bench-deposited")]
public sealed record Deposited(string AccountId, decimal Amount, string Note);

[EventType("bench-withdrawn")]
public sealed record Withdrawn(string AccountId, decimal Amount, string Note);

public sealed class BenchAccount : Aggregate
{
    public decimal Balance { get; private set; }

    public int Movements { get; private set; }

    public void Open(string id) => Raise(new Deposited(id, 0m, "opened"));

    public void Deposit(decimal amount) => Raise(new Deposited(Id, amount, "deposit"));

    private void Apply(Deposited e)
    {
        Id = e.AccountId;
        Balance += e.Amount;
        Movements++;
    }

    private void Apply(Withdrawn e)
    {
        Balance -= e.Amount;
        Movements++;
    }
}
