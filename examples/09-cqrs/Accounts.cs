using Eventuali;
using Eventuali.Subscriptions;
using Eventuali.Typed;

namespace Cqrs;

[EventType("bank.account-opened")]
internal sealed record AccountOpened(string AccountId, string Owner);

[EventType("bank.deposited")]
internal sealed record Deposited(string AccountId, decimal Amount);

[EventType("bank.withdrawn")]
internal sealed record Withdrawn(string AccountId, decimal Amount);

// Commands: what a caller asks for. The dispatcher routes each to the account it names.
internal sealed record OpenAccount(string AccountId, string Owner);

internal sealed record Deposit(string AccountId, decimal Amount);

internal sealed record Withdraw(string AccountId, decimal Amount);

[StreamCategory("account")]
internal sealed class BankAccount : Aggregate
{
    public decimal Balance { get; private set; }

    public void Open(string owner)
    {
        if (Version > 0)
        {
            throw new InvalidOperationException($"account {Id} is already open");
        }

        Raise(new AccountOpened(Id, owner));
    }

    public void Deposit(decimal amount) => Raise(new Deposited(Id, amount > 0 ? amount : throw new InvalidOperationException("deposit must be positive")));

    public void Withdraw(decimal amount)
    {
        if (amount > Balance)
        {
            throw new InvalidOperationException($"account {Id} has {Balance}, cannot withdraw {amount}");
        }

        Raise(new Withdrawn(Id, amount));
    }

    private void Apply(AccountOpened e) => Id = e.AccountId;

    private void Apply(Deposited e) => Balance += e.Amount;

    private void Apply(Withdrawn e) => Balance -= e.Amount;
}

/// <summary>A read model fed by a subscription to the account events; it knows how far it has read.</summary>
internal abstract class ReadModel
{
    private long _position;

    public long Position => Volatile.Read(ref _position);

    public async Task RunAsync(IEventStore store, CancellationToken ct)
    {
        await foreach (var e in store.SubscribeToAllAsync(0, EventFilter.ForCategory("account-"), ct))
        {
            lock (this)
            {
                Apply(store.Options.Types.Deserialize(e));
            }

            Volatile.Write(ref _position, e.Position);
        }
    }

    protected abstract void Apply(object @event);
}

/// <summary>Read model 1: the balance of every account.</summary>
internal sealed class Balances : ReadModel
{
    public Dictionary<string, decimal> ByAccount { get; } = new(StringComparer.Ordinal);

    protected override void Apply(object @event)
    {
        switch (@event)
        {
            case AccountOpened e: ByAccount[e.AccountId] = 0m; break;
            case Deposited e: ByAccount[e.AccountId] += e.Amount; break;
            case Withdrawn e: ByAccount[e.AccountId] -= e.Amount; break;
        }
    }
}

/// <summary>Read model 2: activity per owner (an owner may hold several accounts).</summary>
internal sealed class OwnerActivity : ReadModel
{
    private readonly Dictionary<string, string> _ownerOf = new(StringComparer.Ordinal);

    public SortedDictionary<string, (int Deposits, int Withdrawals, decimal Volume)> ByOwner { get; } = new(StringComparer.Ordinal);

    protected override void Apply(object @event)
    {
        switch (@event)
        {
            case AccountOpened e:
                _ownerOf[e.AccountId] = e.Owner;
                ByOwner.TryAdd(e.Owner, (0, 0, 0m));
                break;
            case Deposited e:
                var d = ByOwner[_ownerOf[e.AccountId]];
                ByOwner[_ownerOf[e.AccountId]] = (d.Deposits + 1, d.Withdrawals, d.Volume + e.Amount);
                break;
            case Withdrawn e:
                var w = ByOwner[_ownerOf[e.AccountId]];
                ByOwner[_ownerOf[e.AccountId]] = (w.Deposits, w.Withdrawals + 1, w.Volume + e.Amount);
                break;
        }
    }
}
