using Eventuali.Integrity;

namespace Eventuali.Security.Chain;

/// <summary>
/// Extends the tamper-evident log: hashes every event above the last sealed position, up to the store's safe head
/// (the position below which no append is still in flight; the global-log read already stops there), and stores the
/// entries in position order. Appends are never blocked or serialised by it: sealing runs on demand (verify,
/// checkpoint export), after appends, or on a timer (<see cref="EventChainMaintenance"/>). Until an event is sealed,
/// a writer with database access can change it unnoticed: that window is the time between sealings.
/// </summary>
public sealed class EventChainSealer
{
    private const int BatchSize = 2048;
    private const int MaxRaces = 10;
    private readonly IEventStore _bare;
    private readonly IEventChainStore _chain;

    /// <summary>A sealer for <paramref name="store"/> (interceptors are bypassed: the chain covers the bytes as stored).</summary>
    public EventChainSealer(IEventStore store)
    {
        _bare = StoredLog.Bare(store);
        _chain = StoredLog.ChainOf(_bare);
    }

    /// <summary>Seals every event up to the safe head; returns the last sealed entry (null: the log is empty).</summary>
    public async ValueTask<EventChainEntry?> SealAsync(CancellationToken cancellationToken = default)
    {
        for (var attempt = 0; ; attempt++)
        {
            var (done, last) = await TrySealAsync(cancellationToken).ConfigureAwait(false);
            if (done)
            {
                return last;
            }

            // Another sealer stored entries first; carry on from where it got to.
            if (attempt >= MaxRaces)
            {
                throw new InvalidOperationException($"Sealing the tamper-evident log lost {MaxRaces} races in a row with other sealers; try again.");
            }
        }
    }

    private async ValueTask<(bool Done, EventChainEntry? Last)> TrySealAsync(CancellationToken cancellationToken)
    {
        var last = await _chain.ReadLastEntryAsync(cancellationToken).ConfigureAwait(false);
        var head = await _bare.GetHeadPositionAsync(cancellationToken).ConfigureAwait(false);
        var after = last?.Position ?? 0;
        if (head <= after)
        {
            return (true, last);
        }

        var previous = last is null ? EventChainHasher.Genesis.ToArray() : last.ChainHash.ToArray();
        var batch = new List<EventChainEntry>(BatchSize);
        using var hasher = new EventChainHasher();
        await foreach (var e in StoredLog.ReadAsync(_bare, _chain, after + 1, head, cancellationToken).ConfigureAwait(false))
        {
            var chainHash = new byte[EventChainEntry.HashLength];
            hasher.ChainHash(previous, e, chainHash);
            batch.Add(new EventChainEntry(e.Position, chainHash));
            previous = chainHash;
            if (batch.Count == BatchSize)
            {
                if (!await _chain.AppendEntriesAsync(after, batch, cancellationToken).ConfigureAwait(false))
                {
                    return (false, null);
                }

                after = batch[^1].Position;
                last = batch[^1];
                batch.Clear();
            }
        }

        if (batch.Count > 0)
        {
            if (!await _chain.AppendEntriesAsync(after, batch, cancellationToken).ConfigureAwait(false))
            {
                return (false, null);
            }

            last = batch[^1];
        }

        return (true, last);
    }
}
