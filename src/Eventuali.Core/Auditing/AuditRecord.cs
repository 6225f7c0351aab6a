namespace Eventuali.Auditing;

/// <summary>
/// One audited operation as it is handed to the audit log, before the log gives it a position and chains it. It
/// holds no payload, header or metadata value: who, what, which stream, when and how it ended.
/// </summary>
/// <param name="Time">When the operation ended (UTC; stored to the microsecond).</param>
/// <param name="Actor">Who performed it (see <see cref="AuditContext"/>).</param>
/// <param name="Action">The kind of operation.</param>
/// <param name="Operation">The operation's short name, such as <c>append</c>, <c>read-stream</c> or <c>erase-subject</c>.</param>
/// <param name="StreamId">The stream concerned, or null (global reads, key operations).</param>
/// <param name="Outcome">How it ended.</param>
/// <param name="ErrorType">On failure, the exception's type name (never its message, which may quote data).</param>
/// <param name="EventCount">Events written or read (0 when the operation carries none).</param>
public sealed record AuditRecord(
    DateTimeOffset Time,
    string Actor,
    AuditAction Action,
    string Operation,
    string? StreamId,
    AuditOutcome Outcome,
    string? ErrorType,
    long EventCount);

/// <summary>
/// An entry of the audit log: <paramref name="Record"/> at <paramref name="Position"/>, chained:
/// <paramref name="Hash"/> is SHA-256 over <paramref name="PreviousHash"/> followed by the canonical encoding of the
/// position and record (see <see cref="AuditChain"/>).
/// </summary>
/// <param name="Position">1, 2, 3... in the order the log stored the entries.</param>
/// <param name="Record">What was recorded.</param>
/// <param name="PreviousHash">The previous entry's hash (32 zero bytes before the first).</param>
/// <param name="Hash">This entry's hash (32 bytes).</param>
public sealed record AuditEntry(long Position, AuditRecord Record, ReadOnlyMemory<byte> PreviousHash, ReadOnlyMemory<byte> Hash);
