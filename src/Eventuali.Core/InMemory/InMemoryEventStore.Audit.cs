using System.Runtime.CompilerServices;
using Eventuali.Auditing;

namespace Eventuali.InMemory;

/// <summary>The access audit log in memory, chained under the store's one lock.</summary>
public sealed partial class InMemoryEventStore : IAuditLogStore
{
    private readonly List<AuditEntry> _audit = [];

    /// <inheritdoc />
    public ValueTask<long> AppendAuditAsync(IReadOnlyList<AuditRecord> records, CancellationToken cancellationToken = default)
    {
        AuditValidation.Records(records);
        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
        {
            var head = _audit.Count == 0 ? null : _audit[^1];
            _audit.AddRange(AuditChain.Link(head?.Position ?? 0, head is null ? default : head.Hash.Span, records));
            return ValueTask.FromResult((long)_audit.Count);
        }
    }

    /// <inheritdoc />
    public async IAsyncEnumerable<AuditEntry> ReadAuditAsync(long fromPosition = 1, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await Task.CompletedTask.ConfigureAwait(false);
        AuditEntry[] selected;
        lock (_gate)
        {
            selected = [.. _audit.Where(e => e.Position >= fromPosition)];
        }

        foreach (var e in selected)
        {
            cancellationToken.ThrowIfCancellationRequested();
            yield return e;
        }
    }

    /// <inheritdoc />
    public ValueTask<AuditEntry?> ReadAuditHeadAsync(CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
        {
            return ValueTask.FromResult(_audit.Count == 0 ? null : _audit[^1]);
        }
    }

    /// <summary>The audit entries as stored (tests tamper with them under <see cref="StoredGate"/>).</summary>
    internal List<AuditEntry> StoredAudit => _audit;
}
