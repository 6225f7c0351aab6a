using Eventuali.Sagas;
using Microsoft.Data.Sqlite;

namespace Eventuali.Sqlite;

/// <summary>
/// The insert and update of saga instances within one save transaction, each compiled once and rebound per
/// instance: compiling the statement again for every instance of a batch cost more than executing it.
/// </summary>
internal sealed class SagaSaveStatements(SqliteConnection connection, SqliteTransaction transaction) : IDisposable
{
    private static readonly string[] Names = ["$name", "$id", "$state", "$last_position", "$completed", "$outbox", "$now", "$expected"];
    private SqliteCommand? _insert;
    private SqliteCommand? _update;

    /// <summary>Writes <paramref name="write"/>'s row; false when its expected version did not match (nothing written).</summary>
    public bool Save(SagaWrite write, long now)
    {
        var cmd = write.ExpectedVersion == 0
            ? _insert ??= Prepare("saga_insert")
            : _update ??= Prepare("saga_update");
        Bind(cmd, "$name", write.SagaName);
        Bind(cmd, "$id", write.SagaId);
        Bind(cmd, "$state", write.State);
        Bind(cmd, "$last_position", write.LastPosition);
        Bind(cmd, "$completed", write.Completed ? 1L : 0L);
        Bind(cmd, "$outbox", write.Outbox);
        Bind(cmd, "$now", now);
        Bind(cmd, "$expected", write.ExpectedVersion);
        return cmd.ExecuteNonQuery() != 0;
    }

    public void Dispose()
    {
        _insert?.Dispose();
        _update?.Dispose();
    }

    private static void Bind(SqliteCommand cmd, string name, object? value)
    {
        // The insert has no $expected: only the parameters a statement names are bound.
        var index = cmd.Parameters.IndexOf(name);
        if (index >= 0)
        {
            cmd.Parameters[index].Value = value ?? DBNull.Value;
        }
    }

    private SqliteCommand Prepare(string statement)
    {
        var cmd = connection.CreateCommand();
        cmd.Transaction = transaction;
        cmd.CommandText = SagaSql.Get(statement);
        foreach (var name in Names)
        {
            if (cmd.CommandText.Contains(name, StringComparison.Ordinal))
            {
                cmd.Parameters.Add(new SqliteParameter(name, DBNull.Value));
            }
        }

        cmd.Prepare();
        return cmd;
    }
}
