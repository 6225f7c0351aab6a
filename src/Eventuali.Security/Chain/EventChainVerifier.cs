using System.Globalization;
using Eventuali.Integrity;

namespace Eventuali.Security.Chain;

/// <summary>
/// Checks the tamper-evident log against the events as stored: every event hashes to its entry, every entry's chain
/// hash follows from the previous one, every sealed event is present (or its removal was recorded by a lifecycle
/// operation), no event below the sealed head lacks an entry, and every checkpoint (stored, or given from a file
/// kept outside the database) is signed by the trusted key and matches the chain. Every finding is reported, in
/// position order; after a broken link the walk continues from the stored hash, so one edit yields one finding.
/// </summary>
public sealed class EventChainVerifier
{
    /// <summary>Findings kept in the report; beyond this they are only counted.</summary>
    public const int MaxListedFindings = 1000;

    private readonly IEventStore _bare;
    private readonly IEventChainStore _chain;
    private readonly byte[]? _publicKey;
    private readonly string? _keyId;

    /// <summary>
    /// A verifier for <paramref name="store"/>. With <paramref name="trustedPublicKey"/> (DER SubjectPublicKeyInfo)
    /// and <paramref name="trustedKeyId"/>, checkpoint signatures are checked; without, only their chain hashes.
    /// </summary>
    public EventChainVerifier(IEventStore store, byte[]? trustedPublicKey = null, string? trustedKeyId = null)
    {
        _bare = StoredLog.Bare(store);
        _chain = StoredLog.ChainOf(_bare);
        _publicKey = trustedPublicKey;
        _keyId = trustedKeyId;
    }

    /// <summary>A verifier trusting <paramref name="signer"/>'s public key for checkpoint signatures.</summary>
    public static async ValueTask<EventChainVerifier> CreateAsync(IEventStore store, Keys.ICheckpointSigner signer, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(signer);
        var key = await signer.GetPublicKeyAsync(cancellationToken).ConfigureAwait(false);
        return new EventChainVerifier(store, key, signer.SigningKeyId);
    }

    /// <summary>True when checkpoint signatures are checked (a trusted public key was given).</summary>
    public bool ChecksSignatures => _publicKey is not null;

    /// <summary>
    /// Verifies the whole log. <paramref name="extraCheckpoints"/> (for example one exported to a file) are checked
    /// like stored ones; they are what catches a log truncated from the end together with its chain entries.
    /// </summary>
    public async ValueTask<EventChainReport> VerifyAsync(IEnumerable<EventChainCheckpoint>? extraCheckpoints = null, IProgress<long>? progress = null, CancellationToken cancellationToken = default)
    {
        var findings = new Findings();
        var checkpoints = new SortedDictionary<long, List<(EventChainCheckpoint Checkpoint, string Source)>>();
        var checkpointCount = 0;
        await foreach (var c in _chain.ReadCheckpointsAsync(cancellationToken).ConfigureAwait(false))
        {
            AddCheckpoint(c, "stored checkpoint", checkpoints, findings);
            checkpointCount++;
        }

        foreach (var c in extraCheckpoints ?? [])
        {
            AddCheckpoint(c, "checkpoint file", checkpoints, findings);
            checkpointCount++;
        }

        var sealedHead = (await _chain.ReadLastEntryAsync(cancellationToken).ConfigureAwait(false))?.Position ?? 0;
        using var walk = new Walk(findings, checkpoints, sealedHead);
        // Entries and events are read ahead on other threads while this one hashes and compares.
        var entries = Prefetch.ReadAheadAsync(_chain.ReadEntriesAsync(1, cancellationToken), 4, cancellationToken).GetAsyncEnumerator(cancellationToken);
        await using (entries.ConfigureAwait(false))
        {
            var events = Prefetch.ReadAheadAsync(StoredLog.ReadAsync(_bare, _chain, 1, long.MaxValue, cancellationToken), 4, cancellationToken).GetAsyncEnumerator(cancellationToken);
            await using (events.ConfigureAwait(false))
            {
                var entry = await entries.MoveNextAsync().ConfigureAwait(false) ? entries.Current : null;
                var e = await events.MoveNextAsync().ConfigureAwait(false) ? events.Current : null;
                while (entry is not null || e is not null)
                {
                    if (e is null || (entry is not null && entry.Position < e.Position))
                    {
                        walk.EntryAlone(entry!);
                        entry = await entries.MoveNextAsync().ConfigureAwait(false) ? entries.Current : null;
                        continue;
                    }

                    if (entry is null || e.Position < entry.Position)
                    {
                        walk.EventAlone(e);
                    }
                    else
                    {
                        walk.Both(entry, e);
                        entry = await entries.MoveNextAsync().ConfigureAwait(false) ? entries.Current : null;
                    }

                    e = await events.MoveNextAsync().ConfigureAwait(false) ? events.Current : null;
                    if ((walk.EventsChecked & 0xFFFF) == 0)
                    {
                        progress?.Report(walk.EventsChecked);
                    }
                }
            }
        }

        walk.Finish();
        return new EventChainReport(walk.EventsChecked, sealedHead, walk.Removed, walk.Unsealed, checkpointCount, findings.Count, [.. findings.Listed.OrderBy(f => f.Position)]);
    }

    private void AddCheckpoint(EventChainCheckpoint c, string source, SortedDictionary<long, List<(EventChainCheckpoint, string)>> into, Findings findings)
    {
        if (_publicKey is not null)
        {
            if (!string.Equals(c.KeyId, _keyId, StringComparison.Ordinal))
            {
                findings.Add(c.Position, EventChainFindingKind.CheckpointSignatureInvalid, $"{source} at position {N(c.Position)} is signed by key '{c.KeyId}', not the trusted signing key '{_keyId}'.");
                return;
            }

            if (!EventChainCheckpoints.VerifySignature(c, _publicKey))
            {
                findings.Add(c.Position, EventChainFindingKind.CheckpointSignatureInvalid, $"{source} at position {N(c.Position)}: the signature does not verify (forged or altered checkpoint).");
                return;
            }
        }

        if (!into.TryGetValue(c.Position, out var list))
        {
            into[c.Position] = list = [];
        }

        list.Add((c, source));
    }

    private static string N(long value) => value.ToString(CultureInfo.InvariantCulture);

    /// <summary>
    /// The state of one walk over entries and events in position order. Each event's check needs only the stored
    /// chain hash of the entry before it, so checks run in parallel batches; findings still come out in order.
    /// </summary>
    private sealed class Walk : IDisposable
    {
        private const int BatchSize = 4096;
        private readonly Findings _findings;
        private readonly SortedDictionary<long, List<(EventChainCheckpoint Checkpoint, string Source)>> _checkpoints;
        private readonly long _sealedHead;
        private readonly EventChainHasher[] _hashers;
        private readonly (EventChainEntry Entry, RecordedEvent Event, ReadOnlyMemory<byte> Previous)[] _batch = new (EventChainEntry, RecordedEvent, ReadOnlyMemory<byte>)[BatchSize];
        private readonly bool[] _mismatch = new bool[BatchSize];
        private int _count;
        private ReadOnlyMemory<byte> _previous = EventChainHasher.Genesis.ToArray();
        private long _lastEntry;

        public Walk(Findings findings, SortedDictionary<long, List<(EventChainCheckpoint Checkpoint, string Source)>> checkpoints, long sealedHead)
        {
            _findings = findings;
            _checkpoints = checkpoints;
            _sealedHead = sealedHead;
            _hashers = [.. Enumerable.Range(0, Math.Clamp(Environment.ProcessorCount, 1, 4)).Select(_ => new EventChainHasher())];
        }

        public long EventsChecked { get; private set; }

        public long Removed { get; private set; }

        public long Unsealed { get; private set; }

        public void EntryAlone(EventChainEntry entry)
        {
            if (entry.Removed)
            {
                Removed++;
            }
            else
            {
                Flush();
                _findings.Add(entry.Position, EventChainFindingKind.EventMissing, $"position {N(entry.Position)}: the sealed event is missing (deleted outside the store's lifecycle operations).");
            }

            Advance(entry);
        }

        public void EventAlone(RecordedEvent e)
        {
            EventsChecked++;
            if (e.Position <= _sealedHead)
            {
                Flush();
                _findings.Add(e.Position, EventChainFindingKind.EntryMissing, $"position {N(e.Position)}: event {e.EventId} of stream '{e.StreamId}' has no chain entry (inserted, moved, or its entry deleted).");
            }
            else
            {
                Unsealed++;
            }
        }

        public void Both(EventChainEntry entry, RecordedEvent e)
        {
            EventsChecked++;
            _batch[_count++] = (entry, e, _previous);
            if (_count == BatchSize)
            {
                Flush();
            }

            Advance(entry);
        }

        public void Finish()
        {
            Flush();
            foreach (var (position, list) in _checkpoints)
            {
                foreach (var (_, source) in list)
                {
                    _findings.Add(position, position > _lastEntry ? EventChainFindingKind.CheckpointBeyondChain : EventChainFindingKind.CheckpointMismatch, position > _lastEntry
                        ? $"{source} at position {N(position)}: the chain ends at position {N(_lastEntry)} (events and entries truncated from the end)."
                        : $"{source} at position {N(position)}: no chain entry at that position (entries deleted).");
                }
            }

            _checkpoints.Clear();
        }

        public void Dispose()
        {
            foreach (var h in _hashers)
            {
                h.Dispose();
            }
        }

        private void Flush()
        {
            var count = _count;
            if (count == 0)
            {
                return;
            }

            var workers = count < 256 ? 1 : _hashers.Length;
            Parallel.For(0, workers, w =>
            {
                Span<byte> computed = stackalloc byte[EventChainEntry.HashLength];
                var hasher = _hashers[w];
                for (var i = count * w / workers; i < count * (w + 1) / workers; i++)
                {
                    var (entry, e, previous) = _batch[i];
                    hasher.ChainHash(previous.Span, e, computed);
                    _mismatch[i] = !computed.SequenceEqual(entry.ChainHash.Span);
                }
            });
            _count = 0;
            for (var i = 0; i < count; i++)
            {
                if (_mismatch[i])
                {
                    var e = _batch[i].Event;
                    _findings.Add(e.Position, EventChainFindingKind.ChainMismatch, $"position {N(e.Position)}: event {e.EventId} of stream '{e.StreamId}' version {N(e.StreamVersion)} does not match the chain (the event was edited or moved, or chain entries up to it were edited, deleted or reordered).");
                }

                _batch[i] = default;
            }
        }

        // Continue from the stored hash, so one edit is one finding rather than a cascade.
        private void Advance(EventChainEntry entry)
        {
            _previous = entry.ChainHash;
            _lastEntry = entry.Position;
            if (_checkpoints.Remove(entry.Position, out var list))
            {
                foreach (var (c, source) in list)
                {
                    if (!c.ChainHash.Span.SequenceEqual(entry.ChainHash.Span))
                    {
                        Flush();
                        _findings.Add(entry.Position, EventChainFindingKind.CheckpointMismatch, $"{source} at position {N(entry.Position)}: the chain hash differs from the checkpoint's (history up to it was rewritten).");
                    }
                }
            }
        }
    }

    /// <summary>Every finding counted; the first <see cref="MaxListedFindings"/> kept.</summary>
    private sealed class Findings
    {
        private readonly List<EventChainFinding> _listed = [];

        public long Count { get; private set; }

        public IReadOnlyList<EventChainFinding> Listed => _listed;

        public void Add(long position, EventChainFindingKind kind, string message)
        {
            Count++;
            if (_listed.Count < MaxListedFindings)
            {
                _listed.Add(new EventChainFinding(position, kind, message));
            }
        }
    }
}
