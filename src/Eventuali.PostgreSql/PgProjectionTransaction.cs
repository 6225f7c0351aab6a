using Eventuali.Projections;
using Npgsql;

namespace Eventuali.PostgreSql;

/// <summary>One projection transaction on the lease's connection.</summary>
internal sealed class PgProjectionTransaction(PgProjectionLease lease, NpgsqlConnection connection, NpgsqlTransaction transaction)
    : IProjectionTransaction, IProjectionDocuments
{
    private readonly PostgreSqlProjectionContext _backend = new(connection, transaction);

    public IProjectionDocuments Documents => this;

    public object? Backend => _backend;

    public async ValueTask<string?> GetAsync(string key, CancellationToken cancellationToken = default)
    {
        ProjectionNames.ValidateKey(key);
        return await PgProjectionDb.ScalarAsync(connection, transaction, lease.Sql["doc_get"], cancellationToken, PgProjectionDb.Text(lease.Name), PgProjectionDb.Text(key)).ConfigureAwait(false) as string;
    }

    public async ValueTask PutAsync(string key, string json, CancellationToken cancellationToken = default)
    {
        ProjectionNames.ValidateKey(key);
        ProjectionNames.ValidateJson(key, json);
        await PgProjectionDb.ExecuteAsync(connection, transaction, lease.Sql["doc_put"], cancellationToken, PgProjectionDb.Text(lease.Name), PgProjectionDb.Text(key), PgProjectionDb.Json(json)).ConfigureAwait(false);
    }

    public async ValueTask DeleteAsync(string key, CancellationToken cancellationToken = default)
    {
        ProjectionNames.ValidateKey(key);
        await PgProjectionDb.ExecuteAsync(connection, transaction, lease.Sql["doc_delete"], cancellationToken, PgProjectionDb.Text(lease.Name), PgProjectionDb.Text(key)).ConfigureAwait(false);
    }

    public async ValueTask ClearDocumentsAsync(CancellationToken cancellationToken = default)
        => await PgProjectionDb.ExecuteAsync(connection, transaction, lease.Sql["doc_clear"], cancellationToken, PgProjectionDb.Text(lease.Name)).ConfigureAwait(false);

    public async ValueTask ParkAsync(RecordedEvent recorded, string error, int attempts, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(recorded);
        await PgProjectionDb.ExecuteAsync(connection, transaction, lease.Sql["park"], cancellationToken,
            PgProjectionDb.Text(lease.Name), PgProjectionDb.Long(recorded.Position), PgProjectionDb.Text(recorded.StreamId), PgProjectionDb.Long(recorded.StreamVersion),
            PgProjectionDb.Uuid(recorded.EventId), PgProjectionDb.Text(recorded.EventType), PgProjectionDb.Text(error), PgProjectionDb.Int(attempts),
            PgProjectionDb.Time(lease.Clock.GetUtcNow())).ConfigureAwait(false);
    }

    public async ValueTask SaveProgressAsync(ProjectionProgress progress, CancellationToken cancellationToken = default)
        => await PgProjectionDb.ExecuteAsync(connection, transaction, lease.Sql["progress"], cancellationToken,
            PgProjectionDb.Text(lease.Name), PgProjectionDb.Long(progress.Position), PgProjectionDb.Text(ProjectionStates.ToText(progress.State)), PgProjectionDb.Text(progress.Error),
            PgProjectionDb.Long(progress.RebuildTarget), PgProjectionDb.Text(lease.Owner), PgProjectionDb.Long(progress.HonouredRequest),
            PgProjectionDb.Time(lease.Clock.GetUtcNow())).ConfigureAwait(false);

    public async ValueTask CommitAsync(CancellationToken cancellationToken = default)
        => await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);

    public async ValueTask DisposeAsync() => await transaction.DisposeAsync().ConfigureAwait(false);
}
