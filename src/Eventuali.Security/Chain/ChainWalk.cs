using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using System.Text;
using System.Threading.Channels;
using Eventuali.Integrity;

namespace Eventuali.Security.Chain;

/// <summary>
/// One walk over the stored log's rows (event, entry or both per position) in position order, on the reading thread:
/// it counts, records structural findings (an entry without its event, an event below the sealed head without an
/// entry, a checkpoint that differs from its entry) and encodes each event with its entry into a
/// <see cref="ChainBatch"/> handed to the hashing thread. Each event's check needs only the stored chain hash of the
/// entry before it, so after a broken link the walk continues from the stored hash: one edit, one finding.
/// </summary>
internal sealed class ChainWalk : IEventChainRowSink
{
    private readonly SortedDictionary<long, List<(EventChainCheckpoint Checkpoint, string Source)>> _checkpoints;
    private readonly long _sealedHead;
    private readonly ChannelWriter<ChainBatch> _output;
    private readonly ConcurrentQueue<ChainBatch> _free;
    private readonly CancellationToken _cancellationToken;
    private readonly List<KeyValuePair<string, string>> _headers = [];
    private byte[] _previous = new byte[EventChainEntry.HashLength];
    private int _previousLength = EventChainEntry.HashLength;
    private ChainBatch _current;

    public ChainWalk(SortedDictionary<long, List<(EventChainCheckpoint Checkpoint, string Source)>> checkpoints, long sealedHead, ChannelWriter<ChainBatch> output, ConcurrentQueue<ChainBatch> free, CancellationToken cancellationToken)
    {
        _checkpoints = checkpoints;
        _sealedHead = sealedHead;
        _output = output;
        _free = free;
        _cancellationToken = cancellationToken;
        _current = NextBatch();
    }

    public long EventsChecked { get; private set; }

    public long Removed { get; private set; }

    public long Unsealed { get; private set; }

    public long LastEntry { get; private set; }

    // The per-row paths of a verification are compiled optimized at once: a verification is one pass, and tiering
    // would promote them only after a good part of the log had gone through unoptimized code.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Accept(in EventChainRow row)
    {
        if (row.HasEvent)
        {
            EventsChecked++;
            if (row.HasEntry)
            {
                if (!_current.TryAdd(row, _previous.AsSpan(0, _previousLength), _headers))
                {
                    Publish();
                    _current.TryAdd(row, _previous.AsSpan(0, _previousLength), _headers);
                }
            }
            else if (row.Position <= _sealedHead)
            {
                var name = Encoding.UTF8.GetString(row.StreamId);
                var id = row.EventId.Length == 16 ? new Guid(row.EventId, bigEndian: true) : Guid.Empty;
                _current.AddFinding(row.Position, EventChainFindingKind.EntryMissing, ChainFindings.EntryMissing(row.Position, id, name));
                return;
            }
            else
            {
                Unsealed++;
                return;
            }
        }
        else if (!row.HasEntry)
        {
            return;
        }
        else if (row.EntryRemoved)
        {
            Removed++;
        }
        else
        {
            _current.AddFinding(row.Position, EventChainFindingKind.EventMissing, ChainFindings.EventMissing(row.Position));
        }

        Advance(row);
    }

    /// <summary>Hands over the last batch; the walk is done.</summary>
    public void Complete()
    {
        if (!_current.IsEmpty)
        {
            Publish();
        }
    }

    /// <summary>After the last batch is checked: checkpoints the walk never reached.</summary>
    public void Finish(ChainFindings findings)
    {
        foreach (var (position, list) in _checkpoints)
        {
            foreach (var (_, source) in list)
            {
                findings.Add(position, position > LastEntry ? EventChainFindingKind.CheckpointBeyondChain : EventChainFindingKind.CheckpointMismatch, position > LastEntry
                    ? $"{source} at position {ChainFindings.N(position)}: the chain ends at position {ChainFindings.N(LastEntry)} (events and entries truncated from the end)."
                    : $"{source} at position {ChainFindings.N(position)}: no chain entry at that position (entries deleted).");
            }
        }

        _checkpoints.Clear();
    }

    // Continue from the stored hash, so one edit is one finding rather than a cascade.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void Advance(in EventChainRow row)
    {
        if (_previous.Length < row.EntryHash.Length)
        {
            _previous = new byte[row.EntryHash.Length];
        }

        row.EntryHash.CopyTo(_previous);
        _previousLength = row.EntryHash.Length;
        LastEntry = row.Position;
        if (_checkpoints.Count > 0 && _checkpoints.Remove(row.Position, out var list))
        {
            foreach (var (c, source) in list)
            {
                if (!c.ChainHash.Span.SequenceEqual(row.EntryHash))
                {
                    _current.AddFinding(row.Position, EventChainFindingKind.CheckpointMismatch, $"{source} at position {ChainFindings.N(row.Position)}: the chain hash differs from the checkpoint's (history up to it was rewritten).");
                }
            }
        }
    }

    // Runs on the reading thread: waits (blocking it) only while the hashing thread is a whole queue behind.
    private void Publish()
    {
        _current.EventsChecked = EventsChecked;
        if (!_output.TryWrite(_current))
        {
            _output.WriteAsync(_current, _cancellationToken).AsTask().GetAwaiter().GetResult();
        }

        _current = NextBatch();
    }

    private ChainBatch NextBatch()
    {
        if (_free.TryDequeue(out var batch))
        {
            batch.Clear();
            return batch;
        }

        return new ChainBatch();
    }
}
