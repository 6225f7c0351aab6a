namespace Eventuali.Integrity;

/// <summary>
/// One sealed event of the tamper-evident log: <paramref name="ChainHash"/> is SHA-256 over the previous entry's chain
/// hash (32 zero bytes before the first) followed by the event's canonical encoding (format in docs/security.md).
/// </summary>
/// <param name="Position">The event's global position.</param>
/// <param name="ChainHash">32 bytes: the running hash up to and including this event.</param>
/// <param name="Removed">True when a stream lifecycle operation (hard delete, tombstone, truncate) removed the event.</param>
public sealed record EventChainEntry(long Position, ReadOnlyMemory<byte> ChainHash, bool Removed = false)
{
    /// <summary>The length of a chain hash in bytes (SHA-256).</summary>
    public const int HashLength = 32;
}
