// Example 09: CQRS on a real SQLite file. Commands go through a dispatcher and command handlers (load, decide,
// save, retry on a concurrency conflict); two read models are built from a subscription to the log.
using Cqrs;
using Eventuali;
using Eventuali.Cqrs;
using Eventuali.Typed;

var directory = Directory.CreateTempSubdirectory("eventuali-example-09-");
var url = "sqlite://" + Path.Combine(directory.FullName, "bank.db");
try
{
    var options = new EventStoreOptions { Types = new EventTypeRegistry().RegisterAssembly(typeof(BankAccount).Assembly) };
    await using var store = await EventStore.CreateAsync(url, options);
    Console.WriteLine($"Store: {url}");

    var retry = new CommandRetryOptions { MaxAttempts = 50, BaseDelay = TimeSpan.FromMilliseconds(2), MaxDelay = TimeSpan.FromMilliseconds(50) };
    var commands = new CommandDispatcher(store, retry)
        .Register<OpenAccount, BankAccount>(c => c.AccountId, (a, c) => a.Open(c.Owner))
        .Register<Deposit, BankAccount>(c => c.AccountId, (a, c) => a.Deposit(c.Amount))
        .Register<Withdraw, BankAccount>(c => c.AccountId, (a, c) => a.Withdraw(c.Amount));

    // The read models follow the log from the start, concurrently with the commands.
    using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(30));
    var balances = new Balances();
    var activity = new OwnerActivity();
    var readers = Task.WhenAll(balances.RunAsync(store, stop.Token), activity.RunAsync(store, stop.Token));

    // 1. Plain commands.
    foreach (var command in new object[] { new OpenAccount("acc-1", "alice"), new OpenAccount("acc-2", "alice"), new OpenAccount("acc-3", "bob"), new Deposit("acc-1", 100m), new Deposit("acc-3", 40m), new Withdraw("acc-1", 30m) })
    {
        var outcome = await commands.SendAsync(command);
        Console.WriteLine($"  {command} -> {outcome.AggregateId} at version {outcome.Append.StreamVersion}");
    }

    try
    {
        await commands.SendAsync(new Withdraw("acc-3", 500m));
        throw new InvalidOperationException("an overdraft was accepted");
    }
    catch (InvalidOperationException ex) when (ex.Message.Contains("cannot withdraw", StringComparison.Ordinal))
    {
        Console.WriteLine($"  Withdraw 500 from acc-3 refused by the aggregate: {ex.Message}");
    }

    // 2. A conflict: handler A loads acc-1, handler B saves a withdrawal in between, A's save conflicts,
    //    A reloads (now seeing B's change) and decides again.
    var a = new CommandHandler<BankAccount>(store, retry);
    var b = new CommandHandler<BankAccount>(store, retry);
    var seen = new List<decimal>();
    var result = await a.HandleAsync("acc-1", async (account, ct) =>
    {
        seen.Add(account.Balance);
        if (seen.Count == 1)
        {
            await b.HandleAsync("acc-1", x => x.Withdraw(50m), cancellationToken: ct);
        }

        account.Withdraw(15m);
    });
    Console.WriteLine($"Race on acc-1: A saw balances {string.Join(" then ", seen)}, saved on attempt {result.Attempts}; balance now {result.Aggregate.Balance}");
    Check(result.Attempts == 2 && result.Aggregate.Balance == 5m, "the conflicting save was retried on fresh state and succeeded");

    // 3. Twenty deposits at once on one account: every one lands, conflicts are retried.
    var outcomes = await Task.WhenAll(Enumerable.Range(1, 20).Select(i => Task.Run(() => commands.SendAsync(new Deposit("acc-2", i)).AsTask())));
    var retried = outcomes.Count(o => o.Attempts > 1);
    Console.WriteLine($"20 concurrent deposits on acc-2: {retried} needed a retry, {outcomes.Sum(o => o.Attempts) - 20} retries in all, most attempts for one: {outcomes.Max(o => o.Attempts)}");
    var acc2 = await store.LoadAsync<BankAccount>("acc-2");
    Check(acc2!.Balance == 210m && acc2.Version == 21, "all 20 deposits landed (1+2+...+20 = 210) with no lost update");

    // 4. The read models catch up with the log.
    var head = await store.GetHeadPositionAsync();
    while (balances.Position < head || activity.Position < head)
    {
        if (readers.IsFaulted)
        {
            await readers;
        }

        await Task.Delay(10, stop.Token);
    }

    await stop.CancelAsync();
    await readers.ContinueWith(_ => { }, TaskScheduler.Default);

    Console.WriteLine($"Read model 'balances' (at position {balances.Position}):");
    foreach (var (id, balance) in balances.ByAccount.OrderBy(kv => kv.Key, StringComparer.Ordinal))
    {
        Console.WriteLine($"  {id}: {balance}");
    }

    Console.WriteLine($"Read model 'owner activity' (at position {activity.Position}):");
    foreach (var (owner, (deposits, withdrawals, volume)) in activity.ByOwner)
    {
        Console.WriteLine($"  {owner}: {deposits} deposits, {withdrawals} withdrawals, volume {volume}");
    }

    foreach (var id in balances.ByAccount.Keys)
    {
        Check(balances.ByAccount[id] == (await store.LoadAsync<BankAccount>(id))!.Balance, $"read model balance of {id} equals the aggregate's");
    }

    Check(activity.ByOwner["alice"] == (21, 3, 100m + 210m + 30m + 50m + 15m), "alice's activity counts every deposit and withdrawal of both her accounts");
    Console.WriteLine("Example 09 finished: every step behaved as described.");
    return 0;
}
catch (Exception ex)
{
    Console.Error.WriteLine($"Example 09 FAILED: {ex.GetType().Name}: {ex.Message}");
    return 1;
}
finally
{
    directory.Delete(recursive: true);
    Console.WriteLine($"(deleted {directory.FullName})");
}

static void Check(bool condition, string what)
{
    if (!condition)
    {
        throw new InvalidOperationException("check failed: " + what);
    }

    Console.WriteLine("  ok: " + what);
}
