using Eventuali.Projections;
using Microsoft.Data.Sqlite;

namespace Eventuali.Sqlite;

/// <summary>
/// One projection transaction: BEGIN IMMEDIATE on the lease's connection, or (inline, no transaction object)
/// the statements run on the writer's connection inside the append's open transaction and savepoint.
/// </summary>
internal sealed class SqliteProjectionTransaction(string name, string owner, TimeProvider clock, SqliteConnection connection, SqliteTransaction? transaction, long? epoch = null)
    : IProjectionTransaction, IProjectionDocuments, IProjectionDocumentSubjects
{
    private readonly SqliteProjectionContext _backend = new(connection, transaction);

    // A partition (projection#n) writes its projection's one read model; its position and dead letters are its own.
    private readonly string _documents = ProjectionPartitions.ProjectionOf(name);

    private bool Inline => transaction is null;

    public IProjectionDocuments Documents => this;

    public object? Backend => _backend;

    public ValueTask<string?> GetAsync(string key, CancellationToken cancellationToken = default)
    {
        ProjectionNames.ValidateKey(key);
        using var command = SqliteProjectionDb.Command(connection, transaction, "doc_get", _documents, key);
        return ValueTask.FromResult(command.ExecuteScalar() as string);
    }

    public ValueTask PutAsync(string key, string json, CancellationToken cancellationToken = default)
    {
        ProjectionNames.ValidateKey(key);
        ProjectionNames.ValidateJson(key, json);
        SqliteProjectionDb.Execute(connection, transaction, "doc_put", _documents, key, json);
        return ValueTask.CompletedTask;
    }

    public ValueTask DeleteAsync(string key, CancellationToken cancellationToken = default)
    {
        ProjectionNames.ValidateKey(key);
        SqliteProjectionDb.Execute(connection, transaction, "doc_delete", _documents, key);
        SqliteProjectionDb.Execute(connection, transaction, "doc_subjects_delete", _documents, key);
        return ValueTask.CompletedTask;
    }

    public ValueTask RecordDocumentSubjectAsync(string key, string subjectId, CancellationToken cancellationToken = default)
    {
        ProjectionNames.ValidateKey(key);
        SqliteProjectionDb.Execute(connection, transaction, "doc_subject_add", _documents, key, subjectId);
        return ValueTask.CompletedTask;
    }

    public ValueTask ClearDocumentsAsync(CancellationToken cancellationToken = default)
    {
        SqliteProjectionDb.Execute(connection, transaction, "doc_clear", _documents);
        SqliteProjectionDb.Execute(connection, transaction, "doc_subjects_clear", _documents);
        return ValueTask.CompletedTask;
    }

    public ValueTask ParkAsync(RecordedEvent recorded, string error, int attempts, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(recorded);
        SqliteProjectionDb.Execute(connection, transaction, "park", name, recorded.Position, recorded.StreamId, recorded.StreamVersion,
            recorded.EventId.ToByteArray(), recorded.EventType, error, attempts, SqliteProjectionDb.Micros(clock.GetUtcNow()));
        return ValueTask.CompletedTask;
    }

    public ValueTask RemoveDeadLetterAsync(long id, CancellationToken cancellationToken = default)
    {
        SqliteProjectionDb.Execute(connection, transaction, "dead_letter_delete", name, id);
        return ValueTask.CompletedTask;
    }

    public ValueTask SaveProgressAsync(ProjectionProgress progress, CancellationToken cancellationToken = default)
    {
        if (Inline)
        {
            SqliteProjectionDb.Execute(connection, null, "inline_progress", name, progress.Position, SqliteProjectionDb.Micros(clock.GetUtcNow()));
            return ValueTask.CompletedTask;
        }

        if (epoch is { } held)
        {
            CheckFence(held);
        }

        SqliteProjectionDb.Execute(connection, transaction, "progress", name, progress.Position, ProjectionStates.ToText(progress.State), progress.Error,
            progress.RebuildTarget, owner, progress.HonouredRequest, SqliteProjectionDb.Micros(clock.GetUtcNow()));
        return ValueTask.CompletedTask;
    }

    // The write transaction (BEGIN IMMEDIATE) excludes a takeover until it ends: the epoch read here holds at commit.
    private void CheckFence(long held)
    {
        var current = SqliteProjectionDb.Query(connection, transaction, "lease_fence", r => (Epoch: r.GetInt64(0), Owner: r.IsDBNull(1) ? null : r.GetString(1)), name);
        if (current.Count == 0 || current[0].Epoch != held)
        {
            var detail = current.Count == 0 ? "the lease row is gone" : $"the lease is at epoch {current[0].Epoch}, held by '{current[0].Owner ?? "nobody"}'";
            throw new LeaseLostException(name, held, commitRefused: true, detail);
        }
    }

    public ValueTask CommitAsync(CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        transaction?.Commit(); // inline: the append's transaction commits it
        return ValueTask.CompletedTask;
    }

    public ValueTask DisposeAsync()
    {
        transaction?.Dispose();
        return ValueTask.CompletedTask;
    }
}
