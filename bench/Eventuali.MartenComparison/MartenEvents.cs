namespace Eventuali.MartenComparison;

/// <summary>The same ~150-byte event both stores write in the comparison.</summary>
public sealed record Deposited(string AccountId, decimal Amount, string Note);

/// <summary>Marten's live aggregation target: public Apply methods by convention.</summary>
public sealed class MartenAccount
{
    public string Id { get; set; } = "";

    public decimal Balance { get; set; }

    public int Movements { get; set; }

    public void Apply(Deposited e)
    {
        Balance += e.Amount;
        Movements++;
    }
}
