namespace Eventuali.Integrity;

/// <summary>
/// A signed statement that the chain hash at <paramref name="Position"/> was <paramref name="ChainHash"/> at
/// <paramref name="CreatedAt"/>. The signature (ECDSA P-256, IEEE P1363) covers the canonical checkpoint encoding
/// documented in docs/security.md; the verifier's own key provider supplies the public key.
/// </summary>
/// <param name="Position">The last sealed position the checkpoint covers.</param>
/// <param name="ChainHash">The chain hash at that position (32 bytes).</param>
/// <param name="CreatedAt">When the checkpoint was signed (UTC, microseconds).</param>
/// <param name="KeyId">The signing key's id.</param>
/// <param name="Signature">The 64-byte P1363 signature.</param>
public sealed record EventChainCheckpoint(long Position, ReadOnlyMemory<byte> ChainHash, DateTimeOffset CreatedAt, string KeyId, ReadOnlyMemory<byte> Signature);
