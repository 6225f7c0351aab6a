using Eventuali.Projections;
using Npgsql;

namespace Eventuali.PostgreSql;

/// <summary>
/// One projection transaction on the lease's connection, or (inline) the append's own transaction, which the
/// append commits: then <see cref="CommitAsync"/> does nothing and progress only moves the position forward.
/// </summary>
internal sealed class PgProjectionTransaction(string name, string owner, TimeProvider clock, ProjectionSql sql, NpgsqlConnection connection, NpgsqlTransaction transaction, bool inline = false, PgLeaseFence? fence = null)
    : IProjectionTransaction, IProjectionDocuments, IProjectionDocumentSubjects
{
    private readonly PostgreSqlProjectionContext _backend = new(connection, transaction);

    // A partition (projection#n) writes its projection's one read model; its position and dead letters are its own.
    private readonly string _documents = ProjectionPartitions.ProjectionOf(name);

    public IProjectionDocuments Documents => this;

    public object? Backend => _backend;

    public async ValueTask<string?> GetAsync(string key, CancellationToken cancellationToken = default)
    {
        ProjectionNames.ValidateKey(key);
        return await PgProjectionDb.ScalarAsync(connection, transaction, sql["doc_get"], cancellationToken, PgProjectionDb.Text(_documents), PgProjectionDb.Text(key)).ConfigureAwait(false) as string;
    }

    public async ValueTask PutAsync(string key, string json, CancellationToken cancellationToken = default)
    {
        ProjectionNames.ValidateKey(key);
        ProjectionNames.ValidateJson(key, json);
        await PgProjectionDb.ExecuteAsync(connection, transaction, sql["doc_put"], cancellationToken, PgProjectionDb.Text(_documents), PgProjectionDb.Text(key), PgProjectionDb.Json(json)).ConfigureAwait(false);
    }

    public async ValueTask DeleteAsync(string key, CancellationToken cancellationToken = default)
    {
        ProjectionNames.ValidateKey(key);
        await PgProjectionDb.ExecuteAsync(connection, transaction, sql["doc_delete"], cancellationToken, PgProjectionDb.Text(_documents), PgProjectionDb.Text(key)).ConfigureAwait(false);
        await PgProjectionDb.ExecuteAsync(connection, transaction, sql["doc_subjects_delete"], cancellationToken, PgProjectionDb.Text(_documents), PgProjectionDb.Text(key)).ConfigureAwait(false);
    }

    public async ValueTask RecordDocumentSubjectAsync(string key, string subjectId, CancellationToken cancellationToken = default)
    {
        ProjectionNames.ValidateKey(key);
        await PgProjectionDb.ExecuteAsync(connection, transaction, sql["doc_subject_add"], cancellationToken, PgProjectionDb.Text(_documents), PgProjectionDb.Text(key), PgProjectionDb.Text(subjectId)).ConfigureAwait(false);
    }

    public async ValueTask ClearDocumentsAsync(CancellationToken cancellationToken = default)
    {
        await PgProjectionDb.ExecuteAsync(connection, transaction, sql["doc_clear"], cancellationToken, PgProjectionDb.Text(_documents)).ConfigureAwait(false);
        await PgProjectionDb.ExecuteAsync(connection, transaction, sql["doc_subjects_clear"], cancellationToken, PgProjectionDb.Text(_documents)).ConfigureAwait(false);
    }

    public async ValueTask ParkAsync(RecordedEvent recorded, string error, int attempts, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(recorded);
        await PgProjectionDb.ExecuteAsync(connection, transaction, sql["park"], cancellationToken,
            PgProjectionDb.Text(name), PgProjectionDb.Long(recorded.Position), PgProjectionDb.Text(recorded.StreamId), PgProjectionDb.Long(recorded.StreamVersion),
            PgProjectionDb.Uuid(recorded.EventId), PgProjectionDb.Text(recorded.EventType), PgProjectionDb.Text(error), PgProjectionDb.Int(attempts),
            PgProjectionDb.Time(clock.GetUtcNow())).ConfigureAwait(false);
    }

    public async ValueTask RemoveDeadLetterAsync(long id, CancellationToken cancellationToken = default)
        => await PgProjectionDb.ExecuteAsync(connection, transaction, sql["dead_letter_delete"], cancellationToken, PgProjectionDb.Text(name), PgProjectionDb.Long(id)).ConfigureAwait(false);

    public async ValueTask SaveProgressAsync(ProjectionProgress progress, CancellationToken cancellationToken = default)
    {
        if (inline)
        {
            await PgProjectionDb.ExecuteAsync(connection, transaction, sql["inline_progress"], cancellationToken,
                PgProjectionDb.Text(name), PgProjectionDb.Long(progress.Position), PgProjectionDb.Time(clock.GetUtcNow())).ConfigureAwait(false);
            return;
        }

        if (fence is not null)
        {
            await CheckFenceAsync(fence, cancellationToken).ConfigureAwait(false);
        }

        await PgProjectionDb.ExecuteAsync(connection, transaction, sql["progress"], cancellationToken,
            PgProjectionDb.Text(name), PgProjectionDb.Long(progress.Position), PgProjectionDb.Text(ProjectionStates.ToText(progress.State)), PgProjectionDb.Text(progress.Error),
            PgProjectionDb.Long(progress.RebuildTarget), PgProjectionDb.Text(owner), PgProjectionDb.Long(progress.HonouredRequest),
            PgProjectionDb.Time(clock.GetUtcNow())).ConfigureAwait(false);
    }

    // Row-locked until this transaction ends: a takeover waits for it, or it sees the takeover and rolls back.
    private async Task CheckFenceAsync(PgLeaseFence fence, CancellationToken ct)
    {
        var current = await PgProjectionDb.QueryAsync(connection, transaction, fence.Sql["fence"], r => (Epoch: r.GetInt64(0), Owner: r.IsDBNull(1) ? null : r.GetString(1)), ct,
            PgProjectionDb.Text(fence.Name)).ConfigureAwait(false);
        if (current.Count == 0 || current[0].Epoch != fence.Epoch)
        {
            var detail = current.Count == 0 ? "the lease row is gone" : $"the lease is at epoch {current[0].Epoch}, held by '{current[0].Owner ?? "nobody"}'";
            throw new LeaseLostException(fence.Name, fence.Epoch, commitRefused: true, detail);
        }
    }

    public async ValueTask CommitAsync(CancellationToken cancellationToken = default)
    {
        if (!inline)
        {
            // The projection's own SQL ran in this transaction: it commits only under the tenant the store set.
            await PgTenantScope.VerifyAsync(connection, transaction, cancellationToken).ConfigureAwait(false);
            await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!inline)
        {
            await transaction.DisposeAsync().ConfigureAwait(false);
        }
    }
}
