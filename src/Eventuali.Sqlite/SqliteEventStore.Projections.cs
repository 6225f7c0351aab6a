using System.Runtime.CompilerServices;
using Eventuali.Projections;

namespace Eventuali.Sqlite;

/// <summary>Projection state, read models and dead letters in the store's file (see Sql/003_projections.sql).</summary>
public sealed partial class SqliteEventStore : IProjectionStore
{
    /// <inheritdoc />
    public ValueTask<IProjectionLease?> TryAcquireProjectionAsync(string name, string owner, CancellationToken cancellationToken = default)
        => TryAcquireProjectionAsync(name, owner, LeaseOptions.Default, cancellationToken);

    /// <inheritdoc />
    public ValueTask<IProjectionLease?> TryAcquireProjectionAsync(string name, string owner, LeaseOptions lease, CancellationToken cancellationToken = default)
    {
        ProjectionPartitions.ValidateLeaseName(name);
        ArgumentException.ThrowIfNullOrWhiteSpace(owner);
        ArgumentNullException.ThrowIfNull(lease);
        lease.Validate();
        cancellationToken.ThrowIfCancellationRequested();
        return ValueTask.FromResult<IProjectionLease?>(SqliteProjectionLease.TryAcquire(Location, name, owner, Options.TimeProvider, lease));
    }

    /// <inheritdoc />
    public ValueTask<IReadOnlyList<ProjectionRow>> ListProjectionsAsync(CancellationToken cancellationToken = default)
    {
        using var connection = SqliteProjectionDb.Open(Location);
        return ValueTask.FromResult<IReadOnlyList<ProjectionRow>>(SqliteProjectionDb.Query(connection, null, "list", SqliteProjectionDb.Row));
    }

    /// <inheritdoc />
    public async ValueTask<bool> RequestProjectionRebuildAsync(string name, long fromPosition, CancellationToken cancellationToken = default)
    {
        await ProjectionRequests.EnsureRebuildWithinHeadAsync(this, name, fromPosition, cancellationToken).ConfigureAwait(false);
        using var connection = SqliteProjectionDb.Open(Location);
        using var transaction = connection.BeginTransaction(deferred: false);
        if (SqliteProjectionDb.Execute(connection, transaction, "request_rebuild", name, fromPosition, SqliteProjectionDb.Micros(Options.TimeProvider.GetUtcNow())) != 1)
        {
            return false;
        }

        SqliteProjectionDb.Execute(connection, transaction, "dead_letter_rebuild", name, fromPosition);
        transaction.Commit();
        return true;
    }

    /// <inheritdoc />
    public ValueTask<string?> GetProjectionDocumentAsync(string projection, string key, CancellationToken cancellationToken = default)
    {
        ProjectionNames.Validate(projection);
        ProjectionNames.ValidateKey(key);
        using var connection = SqliteProjectionDb.Open(Location);
        using var command = SqliteProjectionDb.Command(connection, null, "doc_get", projection, key);
        return ValueTask.FromResult(command.ExecuteScalar() as string);
    }

    /// <inheritdoc />
    public async IAsyncEnumerable<ProjectionDocument> ReadProjectionDocumentsAsync(string projection, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ProjectionNames.Validate(projection);
        await Task.CompletedTask.ConfigureAwait(false);
        using var connection = SqliteProjectionDb.Open(Location);
        var after = string.Empty;
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var page = SqliteProjectionDb.Query(connection, null, "doc_page", r => new ProjectionDocument(r.GetString(0), r.GetString(1)), projection, after, Options.ReadPageSize);
            foreach (var d in page)
            {
                yield return d;
            }

            if (page.Count < Options.ReadPageSize)
            {
                yield break;
            }

            after = page[^1].Key;
        }
    }

    /// <inheritdoc />
    public ValueTask<IReadOnlyList<DeadLetter>> ReadDeadLettersAsync(string projection, CancellationToken cancellationToken = default)
    {
        ProjectionPartitions.ValidateLeaseName(projection);
        using var connection = SqliteProjectionDb.Open(Location);
        return ValueTask.FromResult<IReadOnlyList<DeadLetter>>(SqliteProjectionDb.Query(connection, null, "dead_letters", SqliteProjectionDb.DeadLetter, projection));
    }

    /// <inheritdoc />
    public ValueTask<int> RequestDeadLetterRetryAsync(string projection, long? id = null, CancellationToken cancellationToken = default)
    {
        ProjectionRequests.ValidateDeadLetter(projection, id);
        using var connection = SqliteProjectionDb.Open(Location);
        return ValueTask.FromResult(SqliteProjectionDb.Execute(connection, null, "dead_letter_retry", projection, id));
    }

    /// <inheritdoc />
    public ValueTask<int> DeleteDeadLettersAsync(string projection, long? id = null, CancellationToken cancellationToken = default)
    {
        ProjectionRequests.ValidateDeadLetter(projection, id);
        using var connection = SqliteProjectionDb.Open(Location);
        return ValueTask.FromResult(SqliteProjectionDb.Execute(connection, null, "dead_letter_delete", projection, id));
    }
}
