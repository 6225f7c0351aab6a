using Eventuali.Sagas;
using Npgsql;
using NpgsqlTypes;

namespace Eventuali.PostgreSql;

/// <summary>Saga state and timeouts in the store's schema (tables from migration 004).</summary>
public sealed partial class PostgreSqlEventStore : ISagaStore
{
    private SagaSql? _sagaSql;

    private SagaSql SagaStatements => _sagaSql ??= new SagaSql(_settings);

    /// <inheritdoc />
    public async ValueTask<SagaRecord?> LoadSagaAsync(string sagaName, string sagaId, CancellationToken cancellationToken = default)
    {
        SagaValidation.ValidateKey(sagaName, sagaId);
        SagaRecord? record = null;
        await ReadRowsAsync(SagaStatements["saga_load"], r => record = new SagaRecord(
            sagaName, sagaId, r.GetInt64(0), r.GetString(1), r.GetInt64(2), r.GetBoolean(3), r.IsDBNull(4) ? null : r.GetString(4), r.GetFieldValue<DateTimeOffset>(5)),
            cancellationToken, OptionalText(sagaName), OptionalText(sagaId)).ConfigureAwait(false);
        return record;
    }

    /// <inheritdoc />
    public async ValueTask<long> SaveSagaAsync(SagaWrite write, CancellationToken cancellationToken = default)
        => (await SaveSagasAsync([write], cancellationToken).ConfigureAwait(false))[0];

    /// <summary>The stored instances among <paramref name="sagaIds"/>, in one query.</summary>
    public async ValueTask<IReadOnlyDictionary<string, SagaRecord>> LoadSagasAsync(string sagaName, IReadOnlyCollection<string> sagaIds, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(sagaIds);
        foreach (var id in sagaIds)
        {
            SagaValidation.ValidateKey(sagaName, id);
        }

        var found = new Dictionary<string, SagaRecord>(sagaIds.Count, StringComparer.Ordinal);
        if (sagaIds.Count == 0)
        {
            return found;
        }

        await ReadRowsAsync(SagaStatements["saga_load_many"], r =>
        {
            var id = r.GetString(0);
            found[id] = new SagaRecord(sagaName, id, r.GetInt64(1), r.GetString(2), r.GetInt64(3), r.GetBoolean(4), r.IsDBNull(5) ? null : r.GetString(5), r.GetFieldValue<DateTimeOffset>(6));
        }, cancellationToken, OptionalText(sagaName), new NpgsqlParameter<string[]> { TypedValue = [.. sagaIds], NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text }).ConfigureAwait(false);
        return found;
    }

    /// <summary>
    /// Saves the instances in one transaction sent as one batch of statements: every write or none
    /// (<see cref="SagaConcurrencyException"/> for the first whose version moved).
    /// </summary>
    public async ValueTask<IReadOnlyList<long>> SaveSagasAsync(IReadOnlyList<SagaWrite> writes, CancellationToken cancellationToken = default)
    {
        SagaValidation.ValidateBatch(writes);
        if (writes.Count == 0)
        {
            return [];
        }

        var conn = await OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using (conn.ConfigureAwait(false))
        {
            try
            {
                var tx = await PgTenantScope.BeginAsync(conn, cancellationToken).ConfigureAwait(false);
                await using (tx.ConfigureAwait(false))
                {
                    var batch = new NpgsqlBatch(conn, tx);
                    await using (batch.ConfigureAwait(false))
                    {
                        var saves = new int[writes.Count];
                        var now = SagaValidation.Micro(Options.TimeProvider.GetUtcNow());
                        for (var i = 0; i < writes.Count; i++)
                        {
                            saves[i] = batch.BatchCommands.Count;
                            AddSagaWrite(batch, writes[i], now);
                        }

                        await batch.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
                        for (var i = 0; i < writes.Count; i++)
                        {
                            if (batch.BatchCommands[saves[i]].RecordsAffected == 0)
                            {
                                await tx.RollbackAsync(cancellationToken).ConfigureAwait(false);
                                var write = writes[i];
                                var actual = await ScalarAsync(SagaStatements["saga_version"], cancellationToken, OptionalText(write.SagaName), OptionalText(write.SagaId)).ConfigureAwait(false);
                                throw new SagaConcurrencyException(write.SagaName, write.SagaId, write.ExpectedVersion, actual is long v ? v : null);
                            }
                        }
                    }

                    await tx.CommitAsync(cancellationToken).ConfigureAwait(false);
                }
            }
            catch (NpgsqlException ex) when (PgErrors.Map(ex, _settings) is { } mapped)
            {
                throw mapped;
            }
        }

        var versions = new long[writes.Count];
        for (var i = 0; i < writes.Count; i++)
        {
            versions[i] = writes[i].ExpectedVersion + 1;
        }

        return versions;
    }

    /// <summary>One instance's statements: the versioned insert or update first (its row count decides), then its timeout changes.</summary>
    private void AddSagaWrite(NpgsqlBatch batch, SagaWrite write, DateTimeOffset now)
    {
        var sql = SagaStatements;
        var isNew = write.ExpectedVersion == 0;
        var save = new NpgsqlBatchCommand(sql[isNew ? "saga_insert" : "saga_update"]);
        save.Parameters.AddRange(new NpgsqlParameter[]
        {
            OptionalText(write.SagaName), OptionalText(write.SagaId), OptionalText(write.State), new NpgsqlParameter<long> { TypedValue = write.LastPosition },
            new NpgsqlParameter<bool> { TypedValue = write.Completed }, OptionalText(write.Outbox), new NpgsqlParameter<DateTimeOffset> { TypedValue = now },
        });
        if (!isNew)
        {
            save.Parameters.Add(new NpgsqlParameter<long> { TypedValue = write.ExpectedVersion });
        }

        batch.BatchCommands.Add(save);
        if (write.Completed)
        {
            batch.BatchCommands.Add(Statement(sql["timeouts_delete_all"], OptionalText(write.SagaName), OptionalText(write.SagaId)));
            return;
        }

        foreach (var key in write.Cancel)
        {
            batch.BatchCommands.Add(Statement(sql["timeout_delete"], OptionalText(write.SagaName), OptionalText(write.SagaId), OptionalText(key)));
        }

        foreach (var t in write.Schedule)
        {
            batch.BatchCommands.Add(Statement(sql["timeout_upsert"], OptionalText(t.SagaName), OptionalText(t.SagaId), OptionalText(t.Key),
                new NpgsqlParameter<Guid> { TypedValue = t.TimeoutId }, new NpgsqlParameter<DateTimeOffset> { TypedValue = SagaValidation.Micro(t.DueAt) },
                OptionalText(t.Data)));
        }
    }

    private static NpgsqlBatchCommand Statement(string sql, params NpgsqlParameter[] args)
    {
        var command = new NpgsqlBatchCommand(sql);
        command.Parameters.AddRange(args);
        return command;
    }

    /// <inheritdoc />
    public async ValueTask<IReadOnlyList<SagaTimeout>> LoadDueTimeoutsAsync(string sagaName, DateTimeOffset dueBy, int maxCount, CancellationToken cancellationToken = default)
    {
        SagaValidation.ValidateDueQuery(sagaName, maxCount);
        var due = new List<SagaTimeout>();
        await ReadRowsAsync(SagaStatements["timeouts_due"], r => due.Add(new SagaTimeout(
            sagaName, r.GetString(0), r.GetString(1), r.GetGuid(2), r.GetFieldValue<DateTimeOffset>(3), r.IsDBNull(4) ? null : r.GetString(4))),
            cancellationToken, OptionalText(sagaName), new NpgsqlParameter<DateTimeOffset> { TypedValue = dueBy.ToUniversalTime() }, new NpgsqlParameter<int> { TypedValue = maxCount }).ConfigureAwait(false);
        return due;
    }

    /// <inheritdoc />
    public async ValueTask<DateTimeOffset?> GetNextTimeoutDueAsync(string sagaName, CancellationToken cancellationToken = default)
    {
        SagaValidation.ValidateDueQuery(sagaName, 1);
        DateTimeOffset? next = null;
        await ReadRowsAsync(SagaStatements["timeout_next"], r => next = r.IsDBNull(0) ? null : r.GetFieldValue<DateTimeOffset>(0), cancellationToken, OptionalText(sagaName)).ConfigureAwait(false);
        return next;
    }
}
