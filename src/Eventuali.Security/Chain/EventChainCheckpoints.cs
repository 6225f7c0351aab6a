using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using Eventuali.Integrity;
using Eventuali.Security.Keys;

namespace Eventuali.Security.Chain;

/// <summary>
/// Signed checkpoints of the tamper-evident log: seal, then sign (position, chain hash, time, key id) with the
/// checkpoint signer and store the result in the database; export it to a file kept elsewhere, which
/// <see cref="EventChainVerifier"/> checks against later.
/// </summary>
public static class EventChainCheckpoints
{
    /// <summary>The 8-byte domain tag of the signed payload.</summary>
    public static ReadOnlySpan<byte> Tag => "EVCHKPT1"u8;

    /// <summary>
    /// Seals the log, signs a checkpoint at the sealed head with <paramref name="signer"/> and stores it.
    /// Returns null when the log is empty (nothing to sign).
    /// </summary>
    public static async ValueTask<EventChainCheckpoint?> CreateAsync(IEventStore store, ICheckpointSigner signer, TimeProvider? timeProvider = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(signer);
        var bare = StoredLog.Bare(store);
        var head = await new EventChainSealer(bare).SealAsync(cancellationToken).ConfigureAwait(false);
        if (head is null)
        {
            return null;
        }

        // Microsecond precision, the precision the stores and the file keep, so the signed bytes survive a round trip.
        var now = (timeProvider ?? TimeProvider.System).GetUtcNow();
        var created = DateTimeOffset.UnixEpoch.AddTicks(EventChainEncoding.UnixMicroseconds(now) * 10);
        var keyId = signer.SigningKeyId;
        var signature = await signer.SignAsync(SigningPayload(head.Position, head.ChainHash.Span, created, keyId), cancellationToken).ConfigureAwait(false);
        var checkpoint = new EventChainCheckpoint(head.Position, head.ChainHash.ToArray(), created, keyId, signature);
        await StoredLog.ChainOf(bare).AddCheckpointAsync(checkpoint, cancellationToken).ConfigureAwait(false);
        return checkpoint;
    }

    /// <summary>The bytes a checkpoint's signature covers: tag, position, chain hash, time (µs), key id (length-prefixed UTF-8).</summary>
    public static byte[] SigningPayload(long position, ReadOnlySpan<byte> chainHash, DateTimeOffset createdAt, string keyId)
    {
        ArgumentNullException.ThrowIfNull(keyId);
        if (chainHash.Length != EventChainEntry.HashLength)
        {
            throw new ArgumentException($"A chain hash is {EventChainEntry.HashLength} bytes, not {chainHash.Length}.", nameof(chainHash));
        }

        var key = Encoding.UTF8.GetBytes(keyId);
        var payload = new byte[Tag.Length + 8 + EventChainEntry.HashLength + 8 + 4 + key.Length];
        var span = payload.AsSpan();
        Tag.CopyTo(span);
        BinaryPrimitives.WriteInt64BigEndian(span[8..], position);
        chainHash.CopyTo(span[16..]);
        BinaryPrimitives.WriteInt64BigEndian(span[48..], EventChainEncoding.UnixMicroseconds(createdAt));
        BinaryPrimitives.WriteUInt32BigEndian(span[56..], (uint)key.Length);
        key.CopyTo(span[60..]);
        return payload;
    }

    /// <summary>True when <paramref name="checkpoint"/>'s signature verifies with <paramref name="publicKey"/> (DER SubjectPublicKeyInfo, ECDSA P-256).</summary>
    public static bool VerifySignature(EventChainCheckpoint checkpoint, ReadOnlySpan<byte> publicKey)
    {
        ArgumentNullException.ThrowIfNull(checkpoint);
        if (checkpoint.ChainHash.Length != EventChainEntry.HashLength)
        {
            return false;
        }

        using var ecdsa = ECDsa.Create();
        ecdsa.ImportSubjectPublicKeyInfo(publicKey, out _);
        var payload = SigningPayload(checkpoint.Position, checkpoint.ChainHash.Span, checkpoint.CreatedAt, checkpoint.KeyId);
        return ecdsa.VerifyData(payload, checkpoint.Signature.Span, HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation);
    }

    /// <summary>The most recent stored checkpoint (highest position), or null.</summary>
    public static async ValueTask<EventChainCheckpoint?> ReadLatestAsync(IEventStore store, CancellationToken cancellationToken = default)
    {
        EventChainCheckpoint? latest = null;
        await foreach (var c in StoredLog.ChainOf(StoredLog.Bare(store)).ReadCheckpointsAsync(cancellationToken).ConfigureAwait(false))
        {
            latest = c;
        }

        return latest;
    }
}
