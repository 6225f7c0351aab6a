using Eventuali.Projections;
using Microsoft.Data.Sqlite;

namespace Eventuali.Sqlite;

/// <summary>One projection transaction (BEGIN IMMEDIATE) on the lease's connection.</summary>
internal sealed class SqliteProjectionTransaction(SqliteProjectionLease lease, SqliteConnection connection, SqliteTransaction transaction)
    : IProjectionTransaction, IProjectionDocuments
{
    private readonly SqliteProjectionContext _backend = new(connection, transaction);

    public IProjectionDocuments Documents => this;

    public object? Backend => _backend;

    public ValueTask<string?> GetAsync(string key, CancellationToken cancellationToken = default)
    {
        ProjectionNames.ValidateKey(key);
        using var command = SqliteProjectionDb.Command(connection, transaction, "doc_get", lease.Name, key);
        return ValueTask.FromResult(command.ExecuteScalar() as string);
    }

    public ValueTask PutAsync(string key, string json, CancellationToken cancellationToken = default)
    {
        ProjectionNames.ValidateKey(key);
        ProjectionNames.ValidateJson(key, json);
        SqliteProjectionDb.Execute(connection, transaction, "doc_put", lease.Name, key, json);
        return ValueTask.CompletedTask;
    }

    public ValueTask DeleteAsync(string key, CancellationToken cancellationToken = default)
    {
        ProjectionNames.ValidateKey(key);
        SqliteProjectionDb.Execute(connection, transaction, "doc_delete", lease.Name, key);
        return ValueTask.CompletedTask;
    }

    public ValueTask ClearDocumentsAsync(CancellationToken cancellationToken = default)
    {
        SqliteProjectionDb.Execute(connection, transaction, "doc_clear", lease.Name);
        return ValueTask.CompletedTask;
    }

    public ValueTask ParkAsync(RecordedEvent recorded, string error, int attempts, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(recorded);
        SqliteProjectionDb.Execute(connection, transaction, "park", lease.Name, recorded.Position, recorded.StreamId, recorded.StreamVersion,
            recorded.EventId.ToByteArray(), recorded.EventType, error, attempts, SqliteProjectionDb.Micros(lease.Clock.GetUtcNow()));
        return ValueTask.CompletedTask;
    }

    public ValueTask SaveProgressAsync(ProjectionProgress progress, CancellationToken cancellationToken = default)
    {
        SqliteProjectionDb.Execute(connection, transaction, "progress", lease.Name, progress.Position, ProjectionStates.ToText(progress.State), progress.Error,
            progress.RebuildTarget, lease.Owner, progress.HonouredRequest, SqliteProjectionDb.Micros(lease.Clock.GetUtcNow()));
        return ValueTask.CompletedTask;
    }

    public ValueTask CommitAsync(CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        transaction.Commit();
        return ValueTask.CompletedTask;
    }

    public ValueTask DisposeAsync()
    {
        transaction.Dispose();
        return ValueTask.CompletedTask;
    }
}
