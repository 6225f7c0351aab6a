using Eventuali.Snapshots;
using Eventuali.Typed;

namespace Eventuali.Caching.Redis.Tests;

[EventType("cache-tests.added")]
public sealed record Added(string TallyId, int Amount);

public sealed record TallyState(long Total, long Fold, int Count);

/// <summary>A total and an order-sensitive fold of every amount, so a skipped, repeated or stale state shows.</summary>
[StreamCategory("cache-tally")]
public sealed class Tally : Aggregate, ISnapshottable<TallyState>
{
    public long Total { get; private set; }

    public long Fold { get; private set; } = 7;

    public int Count { get; private set; }

    public string Key => $"{Id}|{Version}|{Total}|{Fold}|{Count}";

    public void Add(string id, int amount) => Raise(new Added(id, amount));

    public TallyState CaptureSnapshot() => new(Total, Fold, Count);

    public void RestoreSnapshot(TallyState state) => (Total, Fold, Count) = (state.Total, state.Fold, state.Count);

    private void Apply(Added e)
    {
        Id = e.TallyId;
        Total += e.Amount;
        Fold = unchecked((Fold * 31) + e.Amount);
        Count++;
    }
}
