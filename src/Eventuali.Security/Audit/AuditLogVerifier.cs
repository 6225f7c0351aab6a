using System.Globalization;
using Eventuali.Auditing;

namespace Eventuali.Security.Audit;

/// <summary>What the audit log verifier found wrong at one position.</summary>
public enum AuditFindingKind
{
    /// <summary>The entry's hash does not match its content: the entry was edited (or moved to another position).</summary>
    EntryAltered = 1,

    /// <summary>The entry's previous hash is not the hash of the entry before it: an entry before it was edited and re-hashed, or replaced.</summary>
    LinkBroken = 2,

    /// <summary>Positions are missing before this one: entries were deleted.</summary>
    EntryMissing = 3,

    /// <summary>The log ends before, or differs at, a head trusted from elsewhere: it was truncated or rewritten from the end.</summary>
    Truncated = 4,
}

/// <summary>One finding of <see cref="AuditLogVerifier"/>.</summary>
/// <param name="Position">The position concerned.</param>
/// <param name="Kind">What is wrong.</param>
/// <param name="Message">One line for people, naming the position.</param>
public sealed record AuditFinding(long Position, AuditFindingKind Kind, string Message);

/// <summary>The result of an audit log verification.</summary>
/// <param name="EntriesChecked">Entries read and checked.</param>
/// <param name="Head">The highest position stored (0: empty log).</param>
/// <param name="FindingCount">Every finding, including those beyond <paramref name="Findings"/>.</param>
/// <param name="Findings">The findings in position order (capped at <see cref="AuditLogVerifier.MaxListedFindings"/>).</param>
public sealed record AuditLogReport(long EntriesChecked, long Head, long FindingCount, IReadOnlyList<AuditFinding> Findings)
{
    /// <summary>True when nothing was found wrong.</summary>
    public bool IsIntact => FindingCount == 0;

    /// <summary>The first position found broken, or null when the log is intact.</summary>
    public long? FirstBrokenPosition => Findings.Count == 0 ? null : Findings[0].Position;
}

/// <summary>
/// Checks the audit log's chain: positions run 1, 2, 3... without gaps, each entry's hash matches its content, and each
/// entry's previous hash is the hash of the entry before it. Every finding is reported in position order; after one
/// the walk continues from the stored hash, so one edit yields one finding. Deleting the newest entries leaves a valid
/// shorter chain: pass a head recorded elsewhere (<c>trustedHead</c>) to catch that.
/// </summary>
public sealed class AuditLogVerifier
{
    /// <summary>Findings kept in the report; beyond this they are only counted.</summary>
    public const int MaxListedFindings = 1000;

    private readonly IAuditLogStore _log;

    /// <summary>A verifier of <paramref name="store"/>'s audit log.</summary>
    public AuditLogVerifier(IEventStore store)
    {
        ArgumentNullException.ThrowIfNull(store);
        _log = store.GetFeature<IAuditLogStore>()
            ?? throw new EventStoreConfigurationException($"The store ({store.GetType().Name}) keeps no audit log.");
    }

    /// <summary>Verifies the whole log; with <paramref name="trustedHead"/>, also that the log still reaches it unchanged.</summary>
    public async ValueTask<AuditLogReport> VerifyAsync(AuditEntry? trustedHead = null, CancellationToken cancellationToken = default)
    {
        var findings = new List<AuditFinding>();
        var count = 0L;
        void Add(long position, AuditFindingKind kind, string message)
        {
            count++;
            if (findings.Count < MaxListedFindings)
            {
                findings.Add(new AuditFinding(position, kind, message));
            }
        }

        var (checkedCount, expected) = (0L, 1L);
        var previous = AuditChain.GenesisHash;
        ReadOnlyMemory<byte>? trustedSeen = null;
        await foreach (var e in _log.ReadAuditAsync(1, cancellationToken).ConfigureAwait(false))
        {
            checkedCount++;
            if (e.Position != expected)
            {
                Add(expected, AuditFindingKind.EntryMissing, $"audit entries {P(expected)}-{P(e.Position - 1)} are missing (deleted)");
            }
            else if (!e.PreviousHash.Span.SequenceEqual(previous.Span))
            {
                Add(e.Position, AuditFindingKind.LinkBroken, $"audit entry {P(e.Position)} does not link to entry {P(e.Position - 1)} (an earlier entry was edited or replaced)");
            }

            if (!AuditChain.ComputeHash(e.PreviousHash.Span, e.Position, e.Record).AsSpan().SequenceEqual(e.Hash.Span))
            {
                Add(e.Position, AuditFindingKind.EntryAltered, $"audit entry {P(e.Position)} does not match its hash (edited)");
            }

            if (trustedHead is not null && e.Position == trustedHead.Position)
            {
                trustedSeen = e.Hash;
            }

            previous = e.Hash;
            expected = e.Position + 1;
        }

        if (trustedHead is not null)
        {
            if (trustedSeen is null)
            {
                Add(trustedHead.Position, AuditFindingKind.Truncated, $"the audit log ends at {P(expected - 1)}, before the trusted head {P(trustedHead.Position)} (truncated)");
            }
            else if (!trustedSeen.Value.Span.SequenceEqual(trustedHead.Hash.Span))
            {
                Add(trustedHead.Position, AuditFindingKind.Truncated, $"audit entry {P(trustedHead.Position)} differs from the trusted head (rewritten)");
            }
        }

        return new AuditLogReport(checkedCount, expected - 1, count, [.. findings.OrderBy(f => f.Position)]);
    }

    private static string P(long position) => position.ToString(CultureInfo.InvariantCulture);
}
