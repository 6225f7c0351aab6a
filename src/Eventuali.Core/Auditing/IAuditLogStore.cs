namespace Eventuali.Auditing;

/// <summary>
/// Storage for the access audit log: an append-only, hash-chained sequence of <see cref="AuditEntry"/>s kept apart
/// from the events. The backend assigns positions and computes the chain inside its own write transaction, so several
/// store instances (or processes) appending to one log still form a single valid chain. Implemented by every built-in
/// store; find it with <c>store.GetFeature&lt;IAuditLogStore&gt;()</c>. Eventuali.Security records and verifies it.
/// </summary>
public interface IAuditLogStore
{
    /// <summary>
    /// Appends <paramref name="records"/> in order, atomically (all or none), chained after the current head.
    /// Returns the position of the last entry appended (the head, unchanged, for an empty list).
    /// </summary>
    ValueTask<long> AppendAuditAsync(IReadOnlyList<AuditRecord> records, CancellationToken cancellationToken = default);

    /// <summary>The entries at <paramref name="fromPosition"/> and above, in position order, exactly as stored, paged.</summary>
    IAsyncEnumerable<AuditEntry> ReadAuditAsync(long fromPosition = 1, CancellationToken cancellationToken = default);

    /// <summary>The entry with the highest position, or null while the log is empty.</summary>
    ValueTask<AuditEntry?> ReadAuditHeadAsync(CancellationToken cancellationToken = default);
}
