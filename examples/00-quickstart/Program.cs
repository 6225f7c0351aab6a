using Eventuali;
using Eventuali.Typed;

// Open (and create) an embedded SQLite store from a URL.
var path = Path.Combine(Path.GetTempPath(), $"quickstart-{Guid.NewGuid():N}.db");
await using (IEventStore store = await EventStore.CreateAsync($"sqlite://{path}"))
{
    // Raw streams: append with optimistic concurrency, read back.
    var result = await store.AppendAsync("order-1", ExpectedVersion.NoStream,
        [EventData.Json("order-placed", """{"item":"book","quantity":2}""")]);
    Console.WriteLine($"order-1 is at version {result.StreamVersion}, position {result.LastPosition}");

    // Typed aggregates: raise events, save, load.
    var account = new Account();
    account.Open("acc-42", "Ada");
    account.Deposit(100m);
    await store.SaveAsync(account);

    var loaded = await store.LoadAsync<Account>("acc-42");
    Console.WriteLine($"{loaded!.Owner} has {loaded.Balance} after {loaded.Version} events");

    // A stale writer is refused, never silently overwritten.
    try
    {
        await store.AppendAsync("order-1", ExpectedVersion.NoStream, [EventData.Json("order-placed", "{}")]);
    }
    catch (ConcurrencyException ex)
    {
        Console.WriteLine($"refused: expected {ex.ExpectedVersion}, actual {ex.ActualVersion}");
    }
}

File.Delete(path);

[EventType("account-opened")]
public sealed record AccountOpened(string AccountId, string Owner);

[EventType("account-deposited")]
public sealed record Deposited(decimal Amount);

public sealed class Account : Aggregate
{
    public string Owner { get; private set; } = "";
    public decimal Balance { get; private set; }

    public void Open(string id, string owner) => Raise(new AccountOpened(id, owner));

    public void Deposit(decimal amount)
    {
        if (amount <= 0) throw new ArgumentOutOfRangeException(nameof(amount), "Deposits must be positive.");
        Raise(new Deposited(amount));
    }

    private void Apply(AccountOpened e) => (Id, Owner) = (e.AccountId, e.Owner);
    private void Apply(Deposited e) => Balance += e.Amount;
}
