using Eventuali.Snapshots;
using Eventuali.Typed;

namespace Eventuali;

/// <summary>Options shared by every backend.</summary>
public sealed record EventStoreOptions
{
    /// <summary>The clock that stamps events. Tests pass a fake one.</summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;

    /// <summary>Where the store acknowledges an append (see <see cref="Eventuali.Durability"/>). Default: <see cref="Durability.Full"/>.</summary>
    public Durability Durability { get; init; } = Durability.Full;

    /// <summary>Event type names, CLR types, serializers and upcasters for the typed layer.</summary>
    public EventTypeRegistry Types { get; init; } = new();

    /// <summary>Snapshot policies per aggregate type and where snapshot problems are reported.</summary>
    public SnapshotOptions Snapshots { get; init; } = new();

    /// <summary>
    /// What the store keeps of every stream, applied by <see cref="Lifecycle.StreamRetention.ApplyStoreRetentionAsync"/>
    /// (never on append). Null (the default): nothing is removed by it. A tenant store gets its tenant's.
    /// </summary>
    public Lifecycle.StoreRetention? Retention { get; init; }

    /// <summary>
    /// A cache of aggregate states that loads of <see cref="ISnapshottable{TState}"/> aggregates consult first and
    /// saves keep current (see docs/caching.md): <see cref="Caching.MemoryAggregateCache"/> in process, or a shared one
    /// (package Eventuali.Caching.Redis). Null (the default): no cache. An entry is always checked against the stream,
    /// so it never changes what a load returns, only how many events it reads.
    /// </summary>
    public Caching.IAggregateCache? AggregateCache { get; init; }

    /// <summary>How many events a read fetches per round trip where the backend pages (never the whole log).</summary>
    public int ReadPageSize
    {
        get;
        init => field = value > 0 ? value : throw new ArgumentOutOfRangeException(nameof(ReadPageSize), value, "ReadPageSize must be at least 1.");
    } = 4096;

    /// <summary>
    /// Whether opening an existing store applies its pending schema migrations. Default false: an upgrade is a
    /// deliberate step (<c>eventuali migrate up</c>, or set this on one node), so a rolling deploy cannot change the
    /// schema under older nodes by accident; such a store is refused with an error naming both versions.
    /// An empty database is always created at the latest version either way.
    /// </summary>
    public bool ApplyMigrationsOnOpen { get; init; }

    /// <summary>
    /// Whether spans carry the stream id (<c>eventuali.stream.id</c>). Default false: spans name the stream's category
    /// only, since an id can identify a person and would make every trace backend index it. Metrics never carry it.
    /// </summary>
    public bool RecordStreamIdInTraces { get; init; }

    /// <summary>The default options.</summary>
    public static EventStoreOptions Default { get; } = new();
}
