using Eventuali.Typed;

namespace Eventuali.Conformance;

// A small bank account model exercising the typed layer over any store.

[EventType("conformance.account-opened")]
internal sealed record AccountOpened(string AccountId, string Owner);

[EventType("conformance.money-deposited")]
internal sealed record MoneyDeposited(decimal Amount);

[EventType("conformance.money-withdrawn")]
internal sealed record MoneyWithdrawn(decimal Amount);

/// <summary>Has no Apply method on purpose: it is stored and replayed but changes no state.</summary>
[EventType("conformance.note-added")]
internal sealed record NoteAdded(string Text);

// Three stored shapes of one event; only the newest has an Apply method.
internal sealed record DepositV1(int Cents);

internal sealed record DepositV2(decimal Amount);

internal sealed record DepositV3(decimal Amount, string Currency);

[StreamCategory("conformance-account")]
internal sealed class ConformanceAccount : Aggregate
{
    public string Owner { get; private set; } = string.Empty;

    public decimal Balance { get; private set; }

    public List<string> Currencies { get; } = [];

    public static ConformanceAccount Open(string id, string owner)
    {
        var account = new ConformanceAccount();
        account.Raise(new AccountOpened(id, owner));
        return account;
    }

    public void Deposit(decimal amount) => Raise(new MoneyDeposited(amount));

    public void Withdraw(decimal amount)
    {
        if (amount > Balance)
        {
            throw new InvalidOperationException("insufficient funds");
        }

        Raise(new MoneyWithdrawn(amount));
    }

    public void Note(string text) => Raise(new NoteAdded(text));

    public void DepositV3(decimal amount, string currency) => Raise(new DepositV3(amount, currency));

    private void Apply(AccountOpened e)
    {
        Id = e.AccountId;
        Owner = e.Owner;
    }

    private void Apply(MoneyDeposited e) => Balance += e.Amount;

    private void Apply(MoneyWithdrawn e) => Balance -= e.Amount;

    private void Apply(DepositV3 e)
    {
        Balance += e.Amount;
        Currencies.Add(e.Currency);
    }
}

/// <summary>Commits appends but loses the reply of the first one, as a dropped connection would.</summary>
internal sealed class LostReplyStore(IEventStore inner) : IEventStore
{
    private int _appends;

    public AppendResult? LostResult { get; private set; }

    public EventStoreOptions Options => inner.Options;

    public async ValueTask<AppendResult> AppendAsync(string streamId, ExpectedVersion expectedVersion, IReadOnlyList<EventData> events, CancellationToken cancellationToken = default)
    {
        var result = await inner.AppendAsync(streamId, expectedVersion, events, cancellationToken);
        if (Interlocked.Increment(ref _appends) == 1)
        {
            LostResult = result;
            throw new EventStoreUnavailableException("connection dropped before the reply (simulated)");
        }

        return result;
    }

    public IAsyncEnumerable<RecordedEvent> ReadStreamAsync(string streamId, long fromVersion = StreamVersion.Start, int maxCount = int.MaxValue, ReadDirection direction = ReadDirection.Forward, CancellationToken cancellationToken = default)
        => inner.ReadStreamAsync(streamId, fromVersion, maxCount, direction, cancellationToken);

    public IAsyncEnumerable<RecordedEvent> ReadAllAsync(long fromPosition = 1, int maxCount = int.MaxValue, EventFilter? filter = null, CancellationToken cancellationToken = default)
        => inner.ReadAllAsync(fromPosition, maxCount, filter, cancellationToken);

    public ValueTask<long?> GetStreamVersionAsync(string streamId, CancellationToken cancellationToken = default) => inner.GetStreamVersionAsync(streamId, cancellationToken);

    public ValueTask<long> GetHeadPositionAsync(CancellationToken cancellationToken = default) => inner.GetHeadPositionAsync(cancellationToken);

    public ValueTask DisposeAsync() => inner.DisposeAsync();
}
