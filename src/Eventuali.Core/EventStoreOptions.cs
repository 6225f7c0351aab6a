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

    /// <summary>How many events a read fetches per round trip where the backend pages (never the whole log).</summary>
    public int ReadPageSize
    {
        get;
        init => field = value > 0 ? value : throw new ArgumentOutOfRangeException(nameof(ReadPageSize), value, "ReadPageSize must be at least 1.");
    } = 4096;

    public static EventStoreOptions Default { get; } = new();
}
