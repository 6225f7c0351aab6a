namespace Eventuali.Sqlite;

/// <summary>Embedded SQLite event store (placeholder until the backend lands).</summary>
public sealed class SqliteEventStore
{
    public static ValueTask<IEventStore> OpenAsync(string path, EventStoreOptions options, CancellationToken cancellationToken = default)
        => throw new EventStoreConfigurationException($"SQLite backend is not built yet ({path}, {options}, {cancellationToken.IsCancellationRequested}).");
}
