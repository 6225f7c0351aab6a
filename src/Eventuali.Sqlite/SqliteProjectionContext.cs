using Eventuali.Projections;
using Microsoft.Data.Sqlite;

namespace Eventuali.Sqlite;

/// <summary>
/// The SQLite connection and transaction a projection's batch runs in: write your own tables with them and
/// the writes commit (or roll back) with the read-model changes and the new position.
/// </summary>
public sealed class SqliteProjectionContext
{
    internal SqliteProjectionContext(SqliteConnection connection, SqliteTransaction? transaction)
    {
        Connection = connection;
        Transaction = transaction;
    }

    /// <summary>The connection of the projection's transaction (the daemon commits or rolls it back).</summary>
    public SqliteConnection Connection { get; }

    /// <summary>
    /// The batch's transaction; null for an inline projection, whose commands on <see cref="Connection"/> run inside
    /// the append's own transaction (opened by the store's writer, so it has no transaction object).
    /// </summary>
    public SqliteTransaction? Transaction { get; }

    /// <summary>A command on <see cref="Connection"/> enlisted in <see cref="Transaction"/>.</summary>
    public SqliteCommand CreateCommand()
    {
        var command = Connection.CreateCommand();
        command.Transaction = Transaction;
        return command;
    }
}

/// <summary>Reaches the SQLite transaction from a projection handler.</summary>
public static class SqliteProjectionContextExtensions
{
    /// <summary>The SQLite connection and transaction of this batch; throws when the store is not SQLite.</summary>
    public static SqliteProjectionContext GetSqlite(this ProjectionContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return context.Backend as SqliteProjectionContext
            ?? throw new InvalidOperationException($"Projection '{context.Projection}' is not running on a SQLite store.");
    }
}
