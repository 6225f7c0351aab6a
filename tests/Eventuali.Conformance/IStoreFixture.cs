namespace Eventuali.Conformance;

/// <summary>
/// What a backend provides to the conformance suite: fresh, empty stores, and a statement of
/// what it supports so that tests which do not apply are skipped with a reason instead of passing vacuously.
/// </summary>
public interface IStoreFixture
{
    /// <summary>A short backend name used in skip reasons and messages (e.g. "memory", "sqlite").</summary>
    string BackendName { get; }

    /// <summary>Whether stores survive being closed and opened again (memory: no; SQLite, PostgreSQL: yes).</summary>
    bool Persists { get; }

    /// <summary>Whether a fresh store's positions run 1, 2, 3... with no holes (memory and SQLite: yes; PostgreSQL: no).</summary>
    bool PositionsAreContiguous { get; }

    /// <summary>
    /// Whether JSON payloads may contain an escaped NUL character (<c>\u0000</c>). PostgreSQL's jsonb
    /// cannot store one: such an append must then be refused with an ArgumentException naming the
    /// stream, writing nothing.
    /// </summary>
    bool StoresJsonWithNulCharacters => true;

    /// <summary>Creates a new, empty store. Every call returns a store no other test sees.</summary>
    ValueTask<IEventStore> CreateStoreAsync(EventStoreOptions? options = null, CancellationToken cancellationToken = default);

    /// <summary>
    /// Disposes <paramref name="store"/> and opens the same storage again with the same options.
    /// Only called when <see cref="Persists"/> is true.
    /// </summary>
    ValueTask<IEventStore> ReopenAsync(IEventStore store, CancellationToken cancellationToken = default);
}
