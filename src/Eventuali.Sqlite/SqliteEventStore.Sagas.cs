using Eventuali.Sagas;
using Microsoft.Data.Sqlite;

namespace Eventuali.Sqlite;

/// <summary>
/// Saga state and timeouts in the store's file (tables from migration 004). File stores use the connection the
/// checkpoints keep (under its lock); an in-memory store uses its one connection under the lock its reads and
/// writes already share.
/// </summary>
public sealed partial class SqliteEventStore : ISagaStore
{
    /// <inheritdoc />
    public ValueTask<SagaRecord?> LoadSagaAsync(string sagaName, string sagaId, CancellationToken cancellationToken = default)
    {
        SagaValidation.ValidateKey(sagaName, sagaId);
        return ValueTask.FromResult(WithSagaConnection($"loading saga '{sagaName}' instance '{sagaId}'", conn =>
        {
            using var cmd = Command(conn, null, "saga_load", ("$name", sagaName), ("$id", sagaId));
            using var reader = cmd.ExecuteReader();
            return reader.Read()
                ? new SagaRecord(sagaName, sagaId, reader.GetInt64(0), reader.GetString(1), reader.GetInt64(2), reader.GetInt64(3) != 0,
                    reader.IsDBNull(4) ? null : reader.GetString(4), SagaValidation.FromUnixMicroseconds(reader.GetInt64(5)))
                : null;
        }, cancellationToken));
    }

    /// <inheritdoc />
    public async ValueTask<long> SaveSagaAsync(SagaWrite write, CancellationToken cancellationToken = default)
        => (await SaveSagasAsync([write], cancellationToken).ConfigureAwait(false))[0];

    /// <summary>The stored instances among <paramref name="sagaIds"/>, read on one connection.</summary>
    public ValueTask<IReadOnlyDictionary<string, SagaRecord>> LoadSagasAsync(string sagaName, IReadOnlyCollection<string> sagaIds, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(sagaIds);
        foreach (var id in sagaIds)
        {
            SagaValidation.ValidateKey(sagaName, id);
        }

        return ValueTask.FromResult<IReadOnlyDictionary<string, SagaRecord>>(WithSagaConnection($"loading {sagaIds.Count} instances of saga '{sagaName}'", conn =>
        {
            var found = new Dictionary<string, SagaRecord>(sagaIds.Count, StringComparer.Ordinal);
            using var cmd = Command(conn, null, "saga_load", ("$name", sagaName), ("$id", ""));
            var id = cmd.Parameters["$id"];
            foreach (var sagaId in sagaIds)
            {
                id.Value = sagaId;
                using var reader = cmd.ExecuteReader();
                if (reader.Read())
                {
                    found[sagaId] = new SagaRecord(sagaName, sagaId, reader.GetInt64(0), reader.GetString(1), reader.GetInt64(2), reader.GetInt64(3) != 0,
                        reader.IsDBNull(4) ? null : reader.GetString(4), SagaValidation.FromUnixMicroseconds(reader.GetInt64(5)));
                }
            }

            return found;
        }, cancellationToken));
    }

    /// <summary>Saves the instances in one write transaction: every write or none (<see cref="SagaConcurrencyException"/>).</summary>
    public ValueTask<IReadOnlyList<long>> SaveSagasAsync(IReadOnlyList<SagaWrite> writes, CancellationToken cancellationToken = default)
    {
        SagaValidation.ValidateBatch(writes);
        if (writes.Count == 0)
        {
            return ValueTask.FromResult<IReadOnlyList<long>>([]);
        }

        var what = writes.Count == 1 ? $"saga '{writes[0].SagaName}' instance '{writes[0].SagaId}'" : $"{writes.Count} saga instances";
        return ValueTask.FromResult<IReadOnlyList<long>>(WithSagaConnection($"saving {what}", conn =>
        {
            using var tx = conn.BeginTransaction(deferred: false);
            var now = SagaValidation.ToUnixMicroseconds(Options.TimeProvider.GetUtcNow());
            var versions = new long[writes.Count];
            using var statements = new SagaSaveStatements(conn, tx);
            for (var i = 0; i < writes.Count; i++)
            {
                versions[i] = SaveOne(conn, tx, statements, writes[i], now);
            }

            tx.Commit();
            return versions;
        }, cancellationToken));
    }

    private static long SaveOne(SqliteConnection conn, SqliteTransaction tx, SagaSaveStatements statements, SagaWrite write, long now)
    {
        if (!statements.Save(write, now))
        {
            using var actual = Command(conn, tx, "saga_version", ("$name", write.SagaName), ("$id", write.SagaId));
            var stored = actual.ExecuteScalar();
            throw new SagaConcurrencyException(write.SagaName, write.SagaId, write.ExpectedVersion, stored is long v ? v : null);
        }

        if (write.Completed)
        {
            Run(conn, tx, "timeouts_delete_all", ("$name", write.SagaName), ("$id", write.SagaId));
            return write.ExpectedVersion + 1;
        }

        foreach (var key in write.Cancel)
        {
            Run(conn, tx, "timeout_delete", ("$name", write.SagaName), ("$id", write.SagaId), ("$key", key));
        }

        foreach (var t in write.Schedule)
        {
            Run(conn, tx, "timeout_upsert", ("$name", t.SagaName), ("$id", t.SagaId), ("$key", t.Key),
                ("$timeout_id", t.TimeoutId.ToByteArray()), ("$due_at", SagaValidation.ToUnixMicroseconds(t.DueAt)), ("$data", t.Data));
        }

        return write.ExpectedVersion + 1;
    }

    /// <inheritdoc />
    public ValueTask<IReadOnlyList<SagaTimeout>> LoadDueTimeoutsAsync(string sagaName, DateTimeOffset dueBy, int maxCount, CancellationToken cancellationToken = default)
    {
        SagaValidation.ValidateDueQuery(sagaName, maxCount);
        return ValueTask.FromResult<IReadOnlyList<SagaTimeout>>(WithSagaConnection($"reading due timeouts of saga '{sagaName}'", conn =>
        {
            using var cmd = Command(conn, null, "timeouts_due", ("$name", sagaName), ("$due_by", SagaValidation.ToUnixMicroseconds(dueBy)), ("$limit", maxCount));
            using var reader = cmd.ExecuteReader();
            var due = new List<SagaTimeout>();
            while (reader.Read())
            {
                due.Add(new SagaTimeout(sagaName, reader.GetString(0), reader.GetString(1), new Guid((byte[])reader.GetValue(2)),
                    SagaValidation.FromUnixMicroseconds(reader.GetInt64(3)), reader.IsDBNull(4) ? null : reader.GetString(4)));
            }

            return due;
        }, cancellationToken));
    }

    /// <inheritdoc />
    public ValueTask<DateTimeOffset?> GetNextTimeoutDueAsync(string sagaName, CancellationToken cancellationToken = default)
    {
        SagaValidation.ValidateDueQuery(sagaName, 1);
        return ValueTask.FromResult(WithSagaConnection<DateTimeOffset?>($"reading the next timeout of saga '{sagaName}'", conn =>
        {
            using var cmd = Command(conn, null, "timeout_next", ("$name", sagaName));
            return cmd.ExecuteScalar() is long micros ? SagaValidation.FromUnixMicroseconds(micros) : null;
        }, cancellationToken));
    }

    private T WithSagaConnection<T>(string doing, Func<SqliteConnection, T> work, CancellationToken ct)
    {
        try
        {
            // The checkpoints' kept connection (RunCheckpoint checks cancellation and disposal): opening one per call
            // read the whole schema again each time.
            return RunCheckpoint(work, ct);
        }
        catch (SqliteException ex)
        {
            throw new EventStoreUnavailableException($"SQLite error while {doing} in '{Location.Display}': {ex.Message}", isTransient: SqliteErrors.IsBusy(ex.SqliteErrorCode), ex);
        }
    }

    private static SqliteCommand Command(SqliteConnection conn, SqliteTransaction? tx, string name, params (string Name, object? Value)[] args)
    {
        var cmd = conn.CreateCommand();
        cmd.Transaction = tx;
        cmd.CommandText = SagaSql.Get(name);
        foreach (var (n, v) in args)
        {
            if (cmd.CommandText.Contains(n, StringComparison.Ordinal))
            {
                cmd.Parameters.AddWithValue(n, v ?? DBNull.Value);
            }
        }

        return cmd;
    }

    private static void Run(SqliteConnection conn, SqliteTransaction tx, string name, params (string Name, object? Value)[] args)
    {
        using var cmd = Command(conn, tx, name, args);
        cmd.ExecuteNonQuery();
    }
}
