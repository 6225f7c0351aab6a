namespace Eventuali.Security.Keys;

/// <summary>
/// Signs the tamper-evident log's checkpoints with ECDSA P-256 (SHA-256, IEEE P1363 signature format) and hands out
/// the public key that verifies them. A verifier trusts the public key from its own provider, never one carried in
/// the checkpoint file.
/// </summary>
public interface ICheckpointSigner
{
    /// <summary>The signing key's id, recorded in each checkpoint.</summary>
    string SigningKeyId { get; }

    /// <summary>Signs <paramref name="data"/>; returns the 64-byte P1363 signature.</summary>
    ValueTask<byte[]> SignAsync(ReadOnlyMemory<byte> data, CancellationToken cancellationToken = default);

    /// <summary>The public key (DER SubjectPublicKeyInfo) that verifies this signer's signatures.</summary>
    ValueTask<byte[]> GetPublicKeyAsync(CancellationToken cancellationToken = default);
}
