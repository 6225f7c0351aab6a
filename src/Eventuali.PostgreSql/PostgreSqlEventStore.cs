namespace Eventuali.PostgreSql;

/// <summary>PostgreSQL event store (placeholder until the backend lands).</summary>
public sealed class PostgreSqlEventStore
{
    public static ValueTask<IEventStore> OpenAsync(string url, EventStoreOptions options, CancellationToken cancellationToken = default)
        => throw new EventStoreConfigurationException($"PostgreSQL backend is not built yet ({url.Length}, {options}, {cancellationToken.IsCancellationRequested}).");
}
