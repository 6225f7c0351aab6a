using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using Eventuali.Projections;
using Npgsql;

namespace Eventuali.PostgreSql;

/// <summary>Projection state, read models and dead letters in the store's schema (see Sql/003_projections.sql).</summary>
public sealed partial class PostgreSqlEventStore : IProjectionStore
{
    private ProjectionSql? _projectionSql;
    private LeaseSql? _leaseSql;
    private readonly ConcurrentDictionary<LeaseOptions, PgLeaseConnections> _leaseConnections = new();

    private ProjectionSql ProjectionStatements => LazyInitializer.EnsureInitialized(ref _projectionSql, () => new ProjectionSql(_settings));

    private LeaseSql LeaseStatements => LazyInitializer.EnsureInitialized(ref _leaseSql, () => new LeaseSql(_settings));

    /// <inheritdoc />
    public ValueTask<IProjectionLease?> TryAcquireProjectionAsync(string name, string owner, CancellationToken cancellationToken = default)
        => TryAcquireProjectionAsync(name, owner, LeaseOptions.Default, cancellationToken);

    /// <inheritdoc />
    public async ValueTask<IProjectionLease?> TryAcquireProjectionAsync(string name, string owner, LeaseOptions lease, CancellationToken cancellationToken = default)
    {
        ProjectionPartitions.ValidateLeaseName(name);
        ArgumentException.ThrowIfNullOrWhiteSpace(owner);
        ArgumentNullException.ThrowIfNull(lease);
        lease.Validate();
        if (_settings.SessionBuilder is null)
        {
            throw new EventStoreConfigurationException(
                $"Leases need sessions of their own, which a transaction pooler does not keep: add '{PgSettings.DirectKey}=host:port' (the PostgreSQL server behind the pooler) to the URL.");
        }

        // A live holder keeps it: a denial, without two new sessions and without queueing behind the holder's commit.
        if (await OnConnectionAsync(async (c, ct) => await PgProjectionDb.ScalarAsync(c, null, LeaseStatements["held"], ct, PgProjectionDb.Text(name)).ConfigureAwait(false) is true, cancellationToken).ConfigureAwait(false))
        {
            return null;
        }

        try
        {
            var connections = _leaseConnections.GetOrAdd(lease, static (o, settings) => new PgLeaseConnections(settings, o), _settings);
            return await PgProjectionLease.TryAcquireAsync(connections, ProjectionStatements, LeaseStatements, name, owner, Options.TimeProvider, cancellationToken).ConfigureAwait(false);
        }
        catch (NpgsqlException ex) when (PgErrors.Map(ex, _settings) is { } mapped)
        {
            throw mapped;
        }
    }

    /// <inheritdoc />
    public ValueTask<IReadOnlyList<ProjectionRow>> ListProjectionsAsync(CancellationToken cancellationToken = default)
        => OnConnectionAsync<IReadOnlyList<ProjectionRow>>(async (c, ct) => await PgProjectionDb.QueryAsync(c, null, ProjectionStatements["list"], PgProjectionDb.Row, ct).ConfigureAwait(false), cancellationToken);

    /// <inheritdoc />
    public async ValueTask<bool> RequestProjectionRebuildAsync(string name, long fromPosition, CancellationToken cancellationToken = default)
    {
        await ProjectionRequests.EnsureRebuildWithinHeadAsync(this, name, fromPosition, cancellationToken).ConfigureAwait(false);
        return await OnConnectionAsync(async (c, ct) =>
        {
            var tx = await PgTenantScope.BeginAsync(c, ct).ConfigureAwait(false);
            await using (tx.ConfigureAwait(false))
            {
                if (await PgProjectionDb.ExecuteAsync(c, tx, ProjectionStatements["request_rebuild"], ct,
                    PgProjectionDb.Text(name), PgProjectionDb.Long(fromPosition), PgProjectionDb.Time(Options.TimeProvider.GetUtcNow())).ConfigureAwait(false) != 1)
                {
                    return false;
                }

                await PgProjectionDb.ExecuteAsync(c, tx, ProjectionStatements["dead_letter_rebuild"], ct, PgProjectionDb.Text(name), PgProjectionDb.Long(fromPosition)).ConfigureAwait(false);
                await tx.CommitAsync(ct).ConfigureAwait(false);
                return true;
            }
        }, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public ValueTask<string?> GetProjectionDocumentAsync(string projection, string key, CancellationToken cancellationToken = default)
    {
        ProjectionNames.Validate(projection);
        ProjectionNames.ValidateKey(key);
        return OnConnectionAsync(async (c, ct) => await PgProjectionDb.ScalarAsync(c, null, ProjectionStatements["doc_get"], ct, PgProjectionDb.Text(projection), PgProjectionDb.Text(key)).ConfigureAwait(false) as string, cancellationToken);
    }

    /// <inheritdoc />
    public async IAsyncEnumerable<ProjectionDocument> ReadProjectionDocumentsAsync(string projection, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ProjectionNames.Validate(projection);
        var after = string.Empty;
        while (true)
        {
            var from = after;
            var page = await OnConnectionAsync(async (c, ct) => await PgProjectionDb.QueryAsync(c, null, ProjectionStatements["doc_page"], r => new ProjectionDocument(r.GetString(0), r.GetString(1)), ct,
                PgProjectionDb.Text(projection), PgProjectionDb.Text(from), PgProjectionDb.Long(Options.ReadPageSize)).ConfigureAwait(false), cancellationToken).ConfigureAwait(false);
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
        return OnConnectionAsync<IReadOnlyList<DeadLetter>>(async (c, ct) => await PgProjectionDb.QueryAsync(c, null, ProjectionStatements["dead_letters"], PgProjectionDb.DeadLetter, ct, PgProjectionDb.Text(projection)).ConfigureAwait(false), cancellationToken);
    }

    /// <inheritdoc />
    public ValueTask<int> RequestDeadLetterRetryAsync(string projection, long? id = null, CancellationToken cancellationToken = default)
    {
        ProjectionRequests.ValidateDeadLetter(projection, id);
        return OnConnectionAsync(async (c, ct) => await PgProjectionDb.ExecuteAsync(c, null, ProjectionStatements["dead_letter_retry"], ct, PgProjectionDb.Text(projection), PgProjectionDb.Long(id)).ConfigureAwait(false), cancellationToken);
    }

    /// <inheritdoc />
    public ValueTask<int> DeleteDeadLettersAsync(string projection, long? id = null, CancellationToken cancellationToken = default)
    {
        ProjectionRequests.ValidateDeadLetter(projection, id);
        return OnConnectionAsync(async (c, ct) => await PgProjectionDb.ExecuteAsync(c, null, ProjectionStatements["dead_letter_delete"], ct, PgProjectionDb.Text(projection), PgProjectionDb.Long(id)).ConfigureAwait(false), cancellationToken);
    }

    private async ValueTask<T> OnConnectionAsync<T>(Func<NpgsqlConnection, CancellationToken, Task<T>> work, CancellationToken ct)
    {
        var connection = await OpenConnectionAsync(ct).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            try
            {
                return await work(connection, ct).ConfigureAwait(false);
            }
            catch (NpgsqlException ex) when (PgErrors.Map(ex, _settings) is { } mapped)
            {
                throw mapped;
            }
        }
    }
}
