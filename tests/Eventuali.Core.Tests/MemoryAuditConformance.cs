using System.Globalization;
using Eventuali.Auditing;
using Eventuali.Conformance;
using Eventuali.Conformance.Security;
using Eventuali.InMemory;

namespace Eventuali.Core.Tests;

/// <summary>The memory store with direct access to its audit list; a "second instance" is the same store, written from two wrappers.</summary>
public sealed class MemoryAuditFixture : IAuditTampering
{
    private readonly MemoryFixture _inner = new();

    public string BackendName => _inner.BackendName;

    public bool Persists => _inner.Persists;

    public bool PositionsAreContiguous => _inner.PositionsAreContiguous;

    public ValueTask<IEventStore> CreateStoreAsync(EventStoreOptions? options = null, CancellationToken cancellationToken = default) => _inner.CreateStoreAsync(options, cancellationToken);

    public ValueTask<IEventStore> ReopenAsync(IEventStore store, CancellationToken cancellationToken = default) => _inner.ReopenAsync(store, cancellationToken);

    public ValueTask EditAuditActorAsync(IEventStore store, long position, string actor, CancellationToken cancellationToken)
        => Tamper(store, m =>
        {
            var i = m.StoredAudit.FindIndex(e => e.Position == position);
            m.StoredAudit[i] = m.StoredAudit[i] with { Record = m.StoredAudit[i].Record with { Actor = actor } };
        });

    public ValueTask DeleteAuditEntriesAsync(IEventStore store, long from, long to, CancellationToken cancellationToken)
        => Tamper(store, m => m.StoredAudit.RemoveAll(e => e.Position >= from && e.Position <= to));

    public ValueTask<IReadOnlyList<string>> DumpAuditRowsAsync(IEventStore store, CancellationToken cancellationToken)
    {
        var memory = (InMemoryEventStore)store;
        lock (memory.StoredGate)
        {
            return ValueTask.FromResult<IReadOnlyList<string>>([.. memory.StoredAudit.Select(Row)]);
        }
    }

    public ValueTask<IEventStore> OpenSecondAsync(IEventStore store, CancellationToken cancellationToken) => ValueTask.FromResult(store);

    private static string Row(AuditEntry e)
    {
        var r = e.Record;
        return string.Join(
            '|',
            e.Position.ToString(CultureInfo.InvariantCulture),
            r.Time.ToString("O", CultureInfo.InvariantCulture),
            r.Actor,
            r.Action,
            r.Operation,
            r.StreamId,
            r.Outcome,
            r.ErrorType,
            r.EventCount.ToString(CultureInfo.InvariantCulture),
            Convert.ToHexStringLower(e.PreviousHash.Span),
            Convert.ToHexStringLower(e.Hash.Span));
    }

    private static ValueTask Tamper(IEventStore store, Action<InMemoryEventStore> change)
    {
        var memory = (InMemoryEventStore)store;
        lock (memory.StoredGate)
        {
            change(memory);
        }

        return ValueTask.CompletedTask;
    }
}

public sealed class MemoryAudit(MemoryAuditFixture f) : AuditConformance<MemoryAuditFixture>(f);
