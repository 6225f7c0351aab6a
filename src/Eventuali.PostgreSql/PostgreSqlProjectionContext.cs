using Eventuali.Projections;
using Npgsql;

namespace Eventuali.PostgreSql;

/// <summary>
/// The PostgreSQL connection and transaction a projection's batch runs in: write your own tables with them and
/// the writes commit (or roll back) with the read-model changes and the new position.
/// </summary>
public sealed class PostgreSqlProjectionContext
{
    internal PostgreSqlProjectionContext(NpgsqlConnection connection, NpgsqlTransaction transaction)
    {
        Connection = connection;
        Transaction = transaction;
    }

    /// <summary>The connection of the projection's transaction.</summary>
    public NpgsqlConnection Connection { get; }

    /// <summary>The projection's transaction: commit and rollback belong to the daemon.</summary>
    public NpgsqlTransaction Transaction { get; }

    /// <summary>A command on <see cref="Connection"/> in <see cref="Transaction"/>.</summary>
    public NpgsqlCommand CreateCommand(string sql) => new(sql, Connection, Transaction);
}

/// <summary>Reaches the PostgreSQL transaction from a projection handler.</summary>
public static class PostgreSqlProjectionContextExtensions
{
    /// <summary>The PostgreSQL connection and transaction of this batch; throws when the store is not PostgreSQL.</summary>
    public static PostgreSqlProjectionContext GetPostgreSql(this ProjectionContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return context.Backend as PostgreSqlProjectionContext
            ?? throw new InvalidOperationException($"Projection '{context.Projection}' is not running on a PostgreSQL store.");
    }
}
