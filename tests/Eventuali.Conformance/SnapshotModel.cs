using Eventuali.Snapshots;
using Eventuali.Typed;

namespace Eventuali.Conformance;

// A ledger whose state depends on every event and on their order, so a wrong snapshot or a
// skipped or repeated event shows up in StateKey.

[EventType("conformance.ledger-opened")]
internal sealed record LedgerOpened(string LedgerId, string Owner);

[EventType("conformance.ledger-credited")]
internal sealed record LedgerCredited(long Cents, string Memo);

[EventType("conformance.ledger-debited")]
internal sealed record LedgerDebited(long Cents, string Memo);

[EventType("conformance.ledger-renamed")]
internal sealed record LedgerRenamed(string Owner);

public sealed record LedgerState(string Owner, long Balance, int Entries, long Fold, List<string> RecentMemos);

[StreamCategory("conformance-ledger")]
[SnapshotSchema(1)]
internal sealed class Ledger : Aggregate, ISnapshottable<LedgerState>
{
    public string Owner { get; private set; } = string.Empty;

    public long Balance { get; private set; }

    public int Entries { get; private set; }

    /// <summary>An order-sensitive fold of every event applied.</summary>
    public long Fold { get; private set; } = 17;

    public List<string> RecentMemos { get; private set; } = [];

    public string StateKey => $"{Id}|{Version}|{Owner}|{Balance}|{Entries}|{Fold}|{string.Join(",", RecentMemos)}";

    public static Ledger Open(string id, string owner)
    {
        var ledger = new Ledger();
        ledger.Raise(new LedgerOpened(id, owner));
        return ledger;
    }

    public void Credit(long cents, string memo) => Raise(new LedgerCredited(cents, memo));

    public void Debit(long cents, string memo) => Raise(new LedgerDebited(cents, memo));

    public void Rename(string owner) => Raise(new LedgerRenamed(owner));

    public LedgerState CaptureSnapshot() => new(Owner, Balance, Entries, Fold, [.. RecentMemos]);

    public void RestoreSnapshot(LedgerState state)
    {
        Owner = state.Owner;
        Balance = state.Balance;
        Entries = state.Entries;
        Fold = state.Fold;
        RecentMemos = [.. state.RecentMemos];
    }

    private void Apply(LedgerOpened e)
    {
        Id = e.LedgerId;
        Owner = e.Owner;
        Mix(1);
    }

    private void Apply(LedgerCredited e)
    {
        Balance += e.Cents;
        Remember(e.Memo);
        Mix(e.Cents);
    }

    private void Apply(LedgerDebited e)
    {
        Balance -= e.Cents;
        Remember(e.Memo);
        Mix(-e.Cents * 7);
    }

    private void Apply(LedgerRenamed e)
    {
        Owner = e.Owner;
        Mix(e.Owner.Length * 131);
    }

    private void Remember(string memo)
    {
        Entries++;
        RecentMemos.Add(memo);
        if (RecentMemos.Count > 3)
        {
            RecentMemos.RemoveAt(0);
        }
    }

    private void Mix(long value) => Fold = unchecked((Fold * 31) + value);
}

/// <summary>The same stream category with a newer state shape: snapshots of <see cref="Ledger"/> must be ignored.</summary>
[StreamCategory("conformance-ledger")]
[SnapshotSchema(2)]
internal sealed class LedgerV2 : Aggregate, ISnapshottable<LedgerState>
{
    public long Balance { get; private set; }

    public int Entries { get; private set; }

    public LedgerState CaptureSnapshot() => new(string.Empty, Balance, Entries, 0, []);

    public void RestoreSnapshot(LedgerState state)
    {
        Balance = state.Balance;
        Entries = state.Entries;
    }

    private void Apply(LedgerOpened e) => Id = e.LedgerId;

    private void Apply(LedgerCredited e)
    {
        Balance += e.Cents;
        Entries++;
    }

    private void Apply(LedgerDebited e)
    {
        Balance -= e.Cents;
        Entries++;
    }
}

/// <summary>Hides every capability but <see cref="IEventStore"/>, so loads through it replay all events.</summary>
internal sealed class EventsOnlyStore(IEventStore inner) : IEventStore
{
    public EventStoreOptions Options => inner.Options;

    public ValueTask<AppendResult> AppendAsync(string streamId, ExpectedVersion expectedVersion, IReadOnlyList<EventData> events, CancellationToken cancellationToken = default)
        => inner.AppendAsync(streamId, expectedVersion, events, cancellationToken);

    public IAsyncEnumerable<RecordedEvent> ReadStreamAsync(string streamId, long fromVersion = StreamVersion.Start, int maxCount = int.MaxValue, ReadDirection direction = ReadDirection.Forward, CancellationToken cancellationToken = default)
        => inner.ReadStreamAsync(streamId, fromVersion, maxCount, direction, cancellationToken);

    public IAsyncEnumerable<RecordedEvent> ReadAllAsync(long fromPosition = 1, int maxCount = int.MaxValue, EventFilter? filter = null, CancellationToken cancellationToken = default)
        => inner.ReadAllAsync(fromPosition, maxCount, filter, cancellationToken);

    public ValueTask<long?> GetStreamVersionAsync(string streamId, CancellationToken cancellationToken = default) => inner.GetStreamVersionAsync(streamId, cancellationToken);

    public ValueTask<long> GetHeadPositionAsync(CancellationToken cancellationToken = default) => inner.GetHeadPositionAsync(cancellationToken);

    // The inner store belongs to the test.
    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
