using System.Diagnostics;
using Eventuali.Typed;

namespace Eventuali.Cli.Demo;

/// <summary>The demo's story: accounts opened, money moved, a rule refusing an overdraft, a conflict resolved; then a look at the file.</summary>
internal sealed class DemoScenario(TextWriter output, string url, bool deletedPrevious)
{
    private const string Alice = "alice";
    private const string Bob = "bob";
    private static readonly EventMetadata ByTeller = new(CorrelationId: "demo-session", ActorId: "teller-7");

    private readonly EventStoreOptions _options = new()
    {
        Types = new EventTypeRegistry(new JsonEventSerializer(DemoJson.Default))
            .Register<AccountOpened>().Register<MoneyDeposited>().Register<MoneyWithdrawn>().Register<TransferSent>().Register<TransferReceived>(),
    };

    public async Task RunAsync(CancellationToken ct)
    {
        await Line($"Eventuali demo: bank accounts on the SQLite file {url["sqlite://".Length..]}").ConfigureAwait(false);
        await Line(deletedPrevious ? "(the previous demo file was deleted first, so this run starts clean)" : "(new file)").ConfigureAwait(false);
        var opened = Stopwatch.GetTimestamp();
        var store = await EventStore.CreateAsync(url, _options, ct).ConfigureAwait(false);
        await using (store.ConfigureAwait(false))
        {
            await Line($"Store opened and schema created in {Ms(opened)}.").ConfigureAwait(false);
            await WriteStoryAsync(store, ct).ConfigureAwait(false);
        }

        // Everything below reads a store opened anew from the file: nothing comes from memory.
        var reopened = Stopwatch.GetTimestamp();
        var fromDisk = await EventStore.CreateAsync(url, _options, ct).ConfigureAwait(false);
        await using (fromDisk.ConfigureAwait(false))
        {
            await Line().ConfigureAwait(false);
            await Line($"6. Reopened the file in {Ms(reopened)}; what it holds").ConfigureAwait(false);
            await new DemoReport(output).WriteAsync(fromDisk, ct).ConfigureAwait(false);
        }
    }

    private async Task WriteStoryAsync(IEventStore store, CancellationToken ct)
    {
        await Line().ConfigureAwait(false);
        await Line("1. Opening two accounts").ConfigureAwait(false);
        var audit = await store.AppendAsync("audit-teller-7", ExpectedVersion.NoStream, [EventData.Json("session-started", "{\"teller\":\"teller-7\",\"branch\":\"north\"}", ByTeller)], ct).ConfigureAwait(false);
        await Line($"   {"teller session starts (raw event)",-40} audit-teller-7 -> version {audit.StreamVersion}, position {audit.LastPosition}").ConfigureAwait(false);
        await SaveAsync(store, BankAccount.Open(Alice, "Alice Martin", 500m), "Alice opens her account with 500.00", ct).ConfigureAwait(false);
        await SaveAsync(store, BankAccount.Open(Bob, "Bob Keller", 100m), "Bob opens his account with 100.00", ct).ConfigureAwait(false);

        await Line().ConfigureAwait(false);
        await Line("2. Deposits and withdrawals").ConfigureAwait(false);
        var alice = await LoadAsync(store, Alice, ct).ConfigureAwait(false);
        alice.Deposit(250m, "salary");
        await SaveAsync(store, alice, "Alice deposits 250.00", ct).ConfigureAwait(false);
        var bob = await LoadAsync(store, Bob, ct).ConfigureAwait(false);
        bob.Withdraw(30m, "groceries");
        await SaveAsync(store, bob, "Bob withdraws 30.00", ct).ConfigureAwait(false);

        await Line().ConfigureAwait(false);
        await Line("3. A business rule: no overdraft").ConfigureAwait(false);
        try
        {
            bob.Withdraw(1_000m, "new bike");
            await SaveAsync(store, bob, "Bob withdraws 1,000.00", ct).ConfigureAwait(false);
            throw new InvalidOperationException("The overdraft rule did not refuse the withdrawal.");
        }
        catch (BusinessRuleException ex)
        {
            var version = await store.GetStreamVersionAsync(AggregateStreams.StreamId<BankAccount>(Bob), ct).ConfigureAwait(false);
            await Line($"   Bob tries to withdraw 1,000.00 -> {ex.Message}").ConfigureAwait(false);
            await Line($"   nothing was stored: account-bob is still at version {version}").ConfigureAwait(false);
        }

        await Line().ConfigureAwait(false);
        await TransferAsync(store, Alice, Bob, 200m, ct).ConfigureAwait(false);

        await Line().ConfigureAwait(false);
        await ConflictAsync(store, ct).ConfigureAwait(false);
    }

    private async Task TransferAsync(IEventStore store, string from, string to, decimal amount, CancellationToken ct)
    {
        var transferId = "transfer-" + Guid.CreateVersion7().ToString("N")[..8];
        await Line($"4. Transfer of {amount:N2} from {from} to {to} ({transferId}; both sides carry it as correlation id)").ConfigureAwait(false);
        var metadata = new EventMetadata(CorrelationId: transferId, ActorId: "teller-7");
        var source = await LoadAsync(store, from, ct).ConfigureAwait(false);
        source.SendTransfer(transferId, to, amount);
        await SaveAsync(store, source, $"debit {from}", ct, metadata).ConfigureAwait(false);
        var target = await LoadAsync(store, to, ct).ConfigureAwait(false);
        target.ReceiveTransfer(transferId, from, amount);
        await SaveAsync(store, target, $"credit {to}", ct, metadata with { CausationId = transferId + "/debit" }).ConfigureAwait(false);
    }

    private async Task ConflictAsync(IEventStore store, CancellationToken ct)
    {
        await Line("5. A concurrency conflict between two loaded copies of Alice's account").ConfigureAwait(false);
        var copyA = await LoadAsync(store, Alice, ct).ConfigureAwait(false);
        var copyB = await LoadAsync(store, Alice, ct).ConfigureAwait(false);
        await Line($"   copy A and copy B both loaded at version {copyA.Version}, balance {copyA.Balance:N2}").ConfigureAwait(false);
        copyA.Deposit(10m, "refund");
        await SaveAsync(store, copyA, "copy A deposits 10.00", ct).ConfigureAwait(false);
        copyB.Withdraw(50m, "cash");
        try
        {
            await SaveAsync(store, copyB, "copy B withdraws 50.00", ct).ConfigureAwait(false);
            throw new InvalidOperationException("The stale copy was saved; optimistic concurrency did not hold.");
        }
        catch (ConcurrencyException ex)
        {
            await Line($"   copy B's save was refused: {ex.Message}").ConfigureAwait(false);
        }

        // Resolution: reload the current state, re-check the rule against it, save again.
        var retried = await LoadAsync(store, Alice, ct).ConfigureAwait(false);
        await Line($"   copy B reloads: version {retried.Version}, balance {retried.Balance:N2}; the withdrawal is decided again").ConfigureAwait(false);
        retried.Withdraw(50m, "cash");
        await SaveAsync(store, retried, "copy B withdraws 50.00 (retry)", ct).ConfigureAwait(false);
    }

    private static async Task<BankAccount> LoadAsync(IEventStore store, string id, CancellationToken ct)
        => await store.LoadAsync<BankAccount>(id, ct).ConfigureAwait(false)
           ?? throw new InvalidOperationException($"Account {id} has no stream.");

    private async Task SaveAsync(IEventStore store, BankAccount account, string what, CancellationToken ct, EventMetadata? metadata = null)
    {
        var pending = account.UncommittedEvents.Count;
        var t0 = Stopwatch.GetTimestamp();
        var result = await store.SaveAsync(account, metadata ?? ByTeller, ct).ConfigureAwait(false);
        var elapsed = Ms(t0);
        var stream = AggregateStreams.StreamId<BankAccount>(account.Id);
        await Line($"   {what,-40} {stream} -> version {result.StreamVersion}, position {result.LastPosition} ({pending} event(s), {elapsed}); balance {account.Balance:N2}").ConfigureAwait(false);
    }

    // A blank line ends a section: flush it, so each section shows as soon as it is done.
    private async Task Line(string text = "")
    {
        if (text.Length == 0)
        {
            await output.FlushAsync().ConfigureAwait(false);
        }

        await output.WriteLineAsync(text).ConfigureAwait(false);
    }

    internal static string Ms(long startTimestamp)
        => $"{Stopwatch.GetElapsedTime(startTimestamp).TotalMilliseconds.ToString("N2", System.Globalization.CultureInfo.InvariantCulture)} ms";
}
