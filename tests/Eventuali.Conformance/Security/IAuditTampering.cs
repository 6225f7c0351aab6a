namespace Eventuali.Conformance.Security;

/// <summary>
/// What someone with direct database access does to the audit log, per backend below the store's API (raw SQL, the
/// append-only guard dropped first as such an attacker would; the in-memory store's internal list), and how the
/// suite reads the log's raw rows and opens a second store on the same storage.
/// </summary>
public interface IAuditTampering : IStoreFixture
{
    /// <summary>Overwrites the actor of the audit entry at <paramref name="position"/> with <paramref name="actor"/>, leaving its hashes.</summary>
    ValueTask EditAuditActorAsync(IEventStore store, long position, string actor, CancellationToken cancellationToken);

    /// <summary>Deletes the audit entries at and above <paramref name="from"/> up to <paramref name="to"/> (inclusive).</summary>
    ValueTask DeleteAuditEntriesAsync(IEventStore store, long from, long to, CancellationToken cancellationToken);

    /// <summary>Every column of every audit row as stored, rendered as text and hex (blobs), one string per row.</summary>
    ValueTask<IReadOnlyList<string>> DumpAuditRowsAsync(IEventStore store, CancellationToken cancellationToken);

    /// <summary>A second, independent store instance on the storage of <paramref name="store"/> (the caller disposes it).</summary>
    ValueTask<IEventStore> OpenSecondAsync(IEventStore store, CancellationToken cancellationToken);
}
