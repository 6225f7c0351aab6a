namespace Eventuali.Security.Chain;

/// <summary>What the verifier found wrong at one position.</summary>
public enum EventChainFindingKind
{
    /// <summary>
    /// The chain hash computed from the previous entry and this event differs from the stored one: the event was
    /// edited or moved here, or the entry (or the one before it) was edited, deleted or reordered.
    /// </summary>
    ChainMismatch = 1,

    /// <summary>A sealed event is gone and no lifecycle operation recorded its removal.</summary>
    EventMissing = 3,

    /// <summary>An event at or below the sealed head has no chain entry: it was inserted, or its entry deleted.</summary>
    EntryMissing = 4,

    /// <summary>A checkpoint's chain hash differs from the chain entry at its position.</summary>
    CheckpointMismatch = 5,

    /// <summary>A checkpoint covers a position the chain no longer reaches: the log was truncated from the end.</summary>
    CheckpointBeyondChain = 6,

    /// <summary>A checkpoint's signature does not verify with the trusted public key, or names another signing key.</summary>
    CheckpointSignatureInvalid = 7,
}

/// <summary>One finding of <see cref="EventChainVerifier"/>: where, what, and a one-line description.</summary>
/// <param name="Position">The global position concerned.</param>
/// <param name="Kind">What is wrong.</param>
/// <param name="Message">One line for people, naming the position.</param>
public sealed record EventChainFinding(long Position, EventChainFindingKind Kind, string Message);

/// <summary>The result of a chain verification.</summary>
/// <param name="EventsChecked">Stored events (live and archived) hashed and compared.</param>
/// <param name="SealedHead">The last sealed position (0: nothing sealed).</param>
/// <param name="RemovedEntries">Entries whose event a lifecycle operation removed (hard delete, tombstone, truncate): not findings.</param>
/// <param name="UnsealedEvents">Events above the sealed head (not yet covered by the chain).</param>
/// <param name="CheckpointsChecked">Checkpoints (stored and given) compared with the chain.</param>
/// <param name="FindingCount">Every finding, including those beyond <paramref name="Findings"/>.</param>
/// <param name="Findings">The findings in position order (capped at <see cref="EventChainVerifier.MaxListedFindings"/>).</param>
public sealed record EventChainReport(
    long EventsChecked,
    long SealedHead,
    long RemovedEntries,
    long UnsealedEvents,
    int CheckpointsChecked,
    long FindingCount,
    IReadOnlyList<EventChainFinding> Findings)
{
    /// <summary>True when nothing was found wrong.</summary>
    public bool IsIntact => FindingCount == 0;
}
