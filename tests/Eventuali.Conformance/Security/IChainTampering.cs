namespace Eventuali.Conformance.Security;

/// <summary>
/// What an attacker with direct database access does, implemented per backend below the store's API (raw SQL on the
/// SQLite file or the PostgreSQL schema; the in-memory store's internal lists). Positions are global positions.
/// </summary>
public interface IChainTampering : IStoreFixture
{
    /// <summary>Overwrites the payload of the event at <paramref name="position"/> with <c>{"tampered":true}</c>.</summary>
    ValueTask EditEventAsync(IEventStore store, long position, CancellationToken cancellationToken);

    /// <summary>Deletes the event row at <paramref name="position"/> (its chain entry stays).</summary>
    ValueTask DeleteEventAsync(IEventStore store, long position, CancellationToken cancellationToken);

    /// <summary>Swaps the positions of two event rows (every other column stays with its row).</summary>
    ValueTask SwapEventsAsync(IEventStore store, long a, long b, CancellationToken cancellationToken);

    /// <summary>Deletes chain entries at and above <paramref name="position"/> (and only those).</summary>
    ValueTask DeleteChainEntriesFromAsync(IEventStore store, long position, CancellationToken cancellationToken);

    /// <summary>Deletes the one chain entry at <paramref name="position"/>.</summary>
    ValueTask DeleteChainEntryAsync(IEventStore store, long position, CancellationToken cancellationToken);

    /// <summary>Truncates the log from <paramref name="position"/>: events, chain entries and stored checkpoints at and above it.</summary>
    ValueTask TruncateFromAsync(IEventStore store, long position, CancellationToken cancellationToken);
}
