using System.Runtime.Versioning;
using System.Text;
using Eventuali.Conformance;
using Eventuali.Conformance.Security;
using Eventuali.InMemory;

namespace Eventuali.Core.Tests;

/// <summary>The memory store with an attacker's direct access to its internal lists.</summary>
public sealed class MemoryChainFixture : IChainTampering
{
    private readonly MemoryFixture _inner = new();

    public string BackendName => _inner.BackendName;

    public bool Persists => _inner.Persists;

    public bool PositionsAreContiguous => _inner.PositionsAreContiguous;

    public ValueTask<IEventStore> CreateStoreAsync(EventStoreOptions? options = null, CancellationToken cancellationToken = default) => _inner.CreateStoreAsync(options, cancellationToken);

    public ValueTask<IEventStore> ReopenAsync(IEventStore store, CancellationToken cancellationToken = default) => _inner.ReopenAsync(store, cancellationToken);

    public ValueTask EditEventAsync(IEventStore store, long position, CancellationToken cancellationToken)
        => Tamper(store, m => m.StoredLog[(int)position - 1] = m.StoredLog[(int)position - 1]! with { Data = Encoding.UTF8.GetBytes("""{"tampered":true}""") });

    public ValueTask DeleteEventAsync(IEventStore store, long position, CancellationToken cancellationToken)
        => Tamper(store, m => m.StoredLog[(int)position - 1] = null);

    public ValueTask SwapEventsAsync(IEventStore store, long a, long b, CancellationToken cancellationToken)
        => Tamper(store, m =>
        {
            var (ea, eb) = (m.StoredLog[(int)a - 1]!, m.StoredLog[(int)b - 1]!);
            m.StoredLog[(int)a - 1] = eb with { Position = a };
            m.StoredLog[(int)b - 1] = ea with { Position = b };
        });

    public ValueTask DeleteChainEntriesFromAsync(IEventStore store, long position, CancellationToken cancellationToken)
        => Tamper(store, m => m.StoredChain.RemoveAll(e => e.Position >= position));

    public ValueTask DeleteChainEntryAsync(IEventStore store, long position, CancellationToken cancellationToken)
        => Tamper(store, m => m.StoredChain.RemoveAll(e => e.Position == position));

    public ValueTask TruncateFromAsync(IEventStore store, long position, CancellationToken cancellationToken)
        => Tamper(store, m =>
        {
            for (var i = (int)position - 1; i < m.StoredLog.Count; i++)
            {
                m.StoredLog[i] = null;
            }

            m.StoredChain.RemoveAll(e => e.Position >= position);
            foreach (var key in m.StoredCheckpoints.Keys.Where(k => k >= position).ToList())
            {
                m.StoredCheckpoints.Remove(key);
            }
        });

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

[UnsupportedOSPlatform("windows")]
public sealed class MemoryEventChain(MemoryChainFixture f) : EventChainConformance<MemoryChainFixture>(f);
