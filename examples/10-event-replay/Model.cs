using Eventuali.Typed;

namespace EventReplay;

[EventType("wallet-opened")]
public sealed record WalletOpened(string WalletId, string Owner);

[EventType("wallet-topped-up")]
public sealed record WalletToppedUp(decimal Amount);

[EventType("wallet-charged")]
public sealed record WalletCharged(decimal Amount, string Merchant);

/// <summary>A prepaid wallet: topped up, charged, never below zero.</summary>
[StreamCategory("wallet")]
public sealed class Wallet : Aggregate
{
    public string Owner { get; private set; } = string.Empty;

    public decimal Balance { get; private set; }

    public int Charges { get; private set; }

    public static Wallet Open(string id, string owner)
    {
        var w = new Wallet();
        w.Raise(new WalletOpened(id, owner));
        return w;
    }

    public void TopUp(decimal amount) => Raise(new WalletToppedUp(amount));

    public void Charge(decimal amount, string merchant)
    {
        if (amount > Balance)
        {
            throw new InvalidOperationException($"{amount:N2} exceeds the balance {Balance:N2}");
        }

        Raise(new WalletCharged(amount, merchant));
    }

    private void Apply(WalletOpened e) => (Id, Owner) = (e.WalletId, e.Owner);

    private void Apply(WalletToppedUp e) => Balance += e.Amount;

    private void Apply(WalletCharged e)
    {
        Balance -= e.Amount;
        Charges++;
    }
}

/// <summary>A clock the example moves by hand, so the history spans days without waiting for them.</summary>
public sealed class ManualClock(DateTimeOffset start) : TimeProvider
{
    private DateTimeOffset _now = start;

    public override DateTimeOffset GetUtcNow() => _now;

    public void Advance(TimeSpan by) => _now += by;
}
