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
    {
        SagaValidation.Validate(write);
        var sql = SagaStatements;
        var conn = await OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using (conn.ConfigureAwait(false))
        {
            try
            {
                var tx = await conn.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
                await using (tx.ConfigureAwait(false))
                {
                    var now = SagaValidation.Micro(Options.TimeProvider.GetUtcNow());
                    var isNew = write.ExpectedVersion == 0;
                    List<NpgsqlParameter> args =
                    [
                        OptionalText(write.SagaName), OptionalText(write.SagaId), OptionalText(write.State), new NpgsqlParameter<long>{ TypedValue = write.LastPosition },
                        new NpgsqlParameter<bool> { TypedValue = write.Completed }, OptionalText(write.Outbox), new NpgsqlParameter<DateTimeOffset> { TypedValue = now },
                    ];
                    if (!isNew)
                    {
                        args.Add(new NpgsqlParameter<long> { TypedValue = write.ExpectedVersion });
                    }

                    if (await ExecAsync(conn, sql[isNew ? "saga_insert" : "saga_update"], cancellationToken, [.. args]).ConfigureAwait(false) == 0)
                    {
                        await tx.RollbackAsync(cancellationToken).ConfigureAwait(false);
                        var actual = await ScalarAsync(sql["saga_version"], cancellationToken, OptionalText(write.SagaName), OptionalText(write.SagaId)).ConfigureAwait(false);
                        throw new SagaConcurrencyException(write.SagaName, write.SagaId, write.ExpectedVersion, actual is long v ? v : null);
                    }

                    if (write.Completed)
                    {
                        await ExecAsync(conn, sql["timeouts_delete_all"], cancellationToken, OptionalText(write.SagaName), OptionalText(write.SagaId)).ConfigureAwait(false);
                    }
                    else
                    {
                        foreach (var key in write.Cancel)
                        {
                            await ExecAsync(conn, sql["timeout_delete"], cancellationToken, OptionalText(write.SagaName), OptionalText(write.SagaId), OptionalText(key)).ConfigureAwait(false);
                        }

                        foreach (var t in write.Schedule)
                        {
                            await ExecAsync(conn, sql["timeout_upsert"], cancellationToken, OptionalText(t.SagaName), OptionalText(t.SagaId), OptionalText(t.Key),
                                new NpgsqlParameter<Guid> { TypedValue = t.TimeoutId }, new NpgsqlParameter<DateTimeOffset> { TypedValue = SagaValidation.Micro(t.DueAt) },
                                OptionalText(t.Data)).ConfigureAwait(false);
                        }
                    }

                    await tx.CommitAsync(cancellationToken).ConfigureAwait(false);
                    return write.ExpectedVersion + 1;
                }
            }
            catch (NpgsqlException ex) when (PgErrors.Map(ex, _settings) is { } mapped)
            {
                throw mapped;
            }
        }
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

    private static async Task<int> ExecAsync(NpgsqlConnection conn, string sql, CancellationToken ct, params NpgsqlParameter[] args)
    {
        var cmd = new NpgsqlCommand(sql, conn);
        await using (cmd.ConfigureAwait(false))
        {
            cmd.Parameters.AddRange(args);
            return await cmd.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
        }
    }
}
