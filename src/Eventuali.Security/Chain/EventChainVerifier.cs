using System.Collections.Concurrent;
using System.Globalization;
using System.Security.Cryptography;
using System.Threading.Channels;
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
    /// True (the default): when the store offers <see cref="IEventChainRowReader"/>, hash the stored columns straight
    /// from the backend's rows; false: always read the ordinary global log and the entries. The findings are the same.
    /// </summary>
    public bool UseRowReader { get; set; } = true;

    /// <summary>
    /// Verifies the whole log. <paramref name="extraCheckpoints"/> (for example one exported to a file) are checked
    /// like stored ones; they are what catches a log truncated from the end together with its chain entries.
    /// </summary>
    public async ValueTask<EventChainReport> VerifyAsync(IEnumerable<EventChainCheckpoint>? extraCheckpoints = null, IProgress<long>? progress = null, CancellationToken cancellationToken = default)
    {
        var findings = new ChainFindings();
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
        var rows = UseRowReader ? _bare.GetFeature<IEventChainRowReader>() : null;

        // One thread reads and encodes (a backend's row read runs synchronously on it), this one hashes: few, big
        // hand-offs, at most two batches waiting.
        var batches = Channel.CreateBounded<ChainBatch>(new BoundedChannelOptions(2) { SingleReader = true, SingleWriter = true });
        var free = new ConcurrentQueue<ChainBatch>();
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var walk = new ChainWalk(checkpoints, sealedHead, batches.Writer, free, stop.Token);
        var reading = Task.Factory.StartNew(
            async () =>
            {
                try
                {
                    if (rows is not null)
                    {
                        await rows.ReadChainRowsAsync(1, walk, stop.Token).ConfigureAwait(false);
                    }
                    else
                    {
                        await GeneralChainRead.ReadChainRowsAsync(_bare, _chain, walk, stop.Token).ConfigureAwait(false);
                    }

                    walk.Complete();
                    batches.Writer.Complete();
                }
                catch (Exception ex)
                {
                    batches.Writer.Complete(ex);
                }
            },
            CancellationToken.None,
            TaskCreationOptions.LongRunning,
            TaskScheduler.Default).Unwrap();
        try
        {
            using var sha256 = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
            long reported = 0;
            await foreach (var batch in batches.Reader.ReadAllAsync(cancellationToken).ConfigureAwait(false))
            {
                batch.Check(findings, sha256);
                if (progress is not null && batch.EventsChecked - reported >= 0x10000)
                {
                    reported = batch.EventsChecked;
                    progress.Report(reported);
                }

                free.Enqueue(batch);
            }
        }
        finally
        {
            // Done, failed or cancelled: stop the reader and wait for it, so no read outlives the call.
            await stop.CancelAsync().ConfigureAwait(false);
            await reading.ConfigureAwait(false);
        }

        walk.Finish(findings);
        return new EventChainReport(walk.EventsChecked, sealedHead, walk.Removed, walk.Unsealed, checkpointCount, findings.Count, [.. findings.Listed.OrderBy(f => f.Position)]);
    }

    private void AddCheckpoint(EventChainCheckpoint c, string source, SortedDictionary<long, List<(EventChainCheckpoint, string)>> into, ChainFindings findings)
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
}
