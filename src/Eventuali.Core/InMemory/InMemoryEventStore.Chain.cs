using System.Runtime.CompilerServices;
using Eventuali.Integrity;

namespace Eventuali.InMemory;

/// <summary>The tamper-evident log's entries and checkpoints, in memory, under the store's one lock.</summary>
public sealed partial class InMemoryEventStore : IEventChainStore
{
    private readonly List<EventChainEntry> _chain = [];
    private readonly SortedDictionary<long, EventChainCheckpoint> _chainCheckpoints = [];

    /// <inheritdoc />
    public ValueTask<EventChainEntry?> ReadLastEntryAsync(CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
        {
            return ValueTask.FromResult(_chain.Count == 0 ? null : _chain[^1]);
        }
    }

    /// <inheritdoc />
    public async IAsyncEnumerable<EventChainEntry> ReadEntriesAsync(long fromPosition = 1, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await Task.CompletedTask.ConfigureAwait(false);
        EventChainEntry[] selected;
        lock (_gate)
        {
            selected = [.. _chain.Where(e => e.Position >= fromPosition)];
        }

        foreach (var e in selected)
        {
            cancellationToken.ThrowIfCancellationRequested();
            yield return e;
        }
    }

    /// <inheritdoc />
    public ValueTask<bool> AppendEntriesAsync(long afterPosition, IReadOnlyList<EventChainEntry> entries, CancellationToken cancellationToken = default)
    {
        EventChainValidation.ValidateEntries(afterPosition, entries);
        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
        {
            if ((_chain.Count == 0 ? 0 : _chain[^1].Position) != afterPosition)
            {
                return ValueTask.FromResult(false);
            }

            foreach (var e in entries)
            {
                // An event removed since the sealer read it: recorded as a legitimate removal.
                var present = _log[(int)e.Position - 1] is not null || IsArchived(e.Position);
                _chain.Add(e with { ChainHash = e.ChainHash.ToArray(), Removed = e.Removed || !present });
            }

            return ValueTask.FromResult(true);
        }
    }

    /// <inheritdoc />
    public async IAsyncEnumerable<RecordedEvent> ReadArchivedLogAsync(long fromPosition = 1, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await Task.CompletedTask.ConfigureAwait(false);
        RecordedEvent[] selected;
        lock (_gate)
        {
            selected = [.. _life.Values.SelectMany(s => s.Archive).Where(e => e.Position >= fromPosition).OrderBy(e => e.Position)];
        }

        foreach (var e in selected)
        {
            cancellationToken.ThrowIfCancellationRequested();
            yield return e;
        }
    }

    /// <inheritdoc />
    public ValueTask AddCheckpointAsync(EventChainCheckpoint checkpoint, CancellationToken cancellationToken = default)
    {
        EventChainValidation.ValidateCheckpoint(checkpoint);
        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
        {
            _chainCheckpoints[checkpoint.Position] = checkpoint with { ChainHash = checkpoint.ChainHash.ToArray(), Signature = checkpoint.Signature.ToArray() };
        }

        return ValueTask.CompletedTask;
    }

    /// <inheritdoc />
    public async IAsyncEnumerable<EventChainCheckpoint> ReadCheckpointsAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await Task.CompletedTask.ConfigureAwait(false);
        EventChainCheckpoint[] selected;
        lock (_gate)
        {
            selected = [.. _chainCheckpoints.Values];
        }

        foreach (var c in selected)
        {
            cancellationToken.ThrowIfCancellationRequested();
            yield return c;
        }
    }

    /// <summary>Under the gate: a lifecycle operation removed the event at <paramref name="position"/> for good.</summary>
    private void MarkChainRemoved(long position)
    {
        var i = _chain.BinarySearch(new EventChainEntry(position, default), EntryByPosition.Instance);
        if (i >= 0 && !_chain[i].Removed)
        {
            _chain[i] = _chain[i] with { Removed = true };
        }
    }

    private bool IsArchived(long position) => _life.Values.Any(s => s.Archive.Exists(e => e.Position == position));

    /// <summary>Direct access to the stored log and chain, for tests that tamper with them as an attacker would.</summary>
    internal List<RecordedEvent?> StoredLog => _log;

    /// <summary>The chain entries as stored (tests tamper with them under <see cref="StoredGate"/>).</summary>
    internal List<EventChainEntry> StoredChain => _chain;

    /// <summary>The checkpoints as stored.</summary>
    internal SortedDictionary<long, EventChainCheckpoint> StoredCheckpoints => _chainCheckpoints;

    /// <summary>The store's lock.</summary>
    internal Lock StoredGate => _gate;

    private sealed class EntryByPosition : IComparer<EventChainEntry>
    {
        public static readonly EntryByPosition Instance = new();

        public int Compare(EventChainEntry? x, EventChainEntry? y) => x!.Position.CompareTo(y!.Position);
    }
}
