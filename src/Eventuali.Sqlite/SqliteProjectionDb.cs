using Eventuali.Projections;
using Microsoft.Data.Sqlite;

namespace Eventuali.Sqlite;

/// <summary>Runs the projection statements: parameters ?1..?n in order; rows mapped to projection records.</summary>
internal static class SqliteProjectionDb
{
    public static SqliteCommand Command(SqliteConnection connection, SqliteTransaction? transaction, string statement, params object?[] args)
    {
        var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = ProjectionSql.Get(statement);
        for (var i = 0; i < args.Length; i++)
        {
            command.Parameters.AddWithValue("?" + (i + 1).ToString(System.Globalization.CultureInfo.InvariantCulture), args[i] ?? DBNull.Value);
        }

        return command;
    }

    public static int Execute(SqliteConnection connection, SqliteTransaction? transaction, string statement, params object?[] args)
    {
        using var command = Command(connection, transaction, statement, args);
        return command.ExecuteNonQuery();
    }

    public static List<T> Query<T>(SqliteConnection connection, SqliteTransaction? transaction, string statement, Func<SqliteDataReader, T> map, params object?[] args)
    {
        using var command = Command(connection, transaction, statement, args);
        using var reader = command.ExecuteReader();
        var list = new List<T>();
        while (reader.Read())
        {
            list.Add(map(reader));
        }

        return list;
    }

    public static ProjectionRow Row(SqliteDataReader r) => ProjectionRowReader.Read(r, FromMicros(r.GetInt64(9)));

    public static DeadLetter DeadLetter(SqliteDataReader r) => new(
        r.GetString(0), r.GetInt64(1), r.GetString(2), r.GetInt64(3), new Guid((byte[])r.GetValue(4)), r.GetString(5),
        r.GetString(6), r.GetInt32(7), FromMicros(r.GetInt64(8)), r.GetInt64(9), r.GetInt64(10) != 0);

    public static long Micros(DateTimeOffset time) => (time.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks) / 10;

    private static DateTimeOffset FromMicros(long micros) => DateTimeOffset.UnixEpoch.AddTicks(micros * 10);

    /// <summary>A connection of its own on the store's file, for projection work (the writer's belongs to appends).</summary>
    public static string RequireFile(SqliteLocation location)
        => location.FilePath ?? throw new NotSupportedException("Projections on SQLite need a database file: a :memory: store has one connection, which its writer owns.");

    public static SqliteConnection Open(SqliteLocation location)
    {
        var path = RequireFile(location);

        var builder = new SqliteConnectionStringBuilder { DataSource = path, Mode = SqliteOpenMode.ReadWrite, Cache = SqliteCacheMode.Private, Pooling = false, DefaultTimeout = 30 };
        var connection = new SqliteConnection(builder.ToString());
        try
        {
            connection.Open();
            // Waits for the appender's group commits rather than failing with SQLITE_BUSY at once.
            SQLitePCL.raw.sqlite3_busy_timeout(connection.Handle!, 10_000);
            using var pragma = connection.CreateCommand();
            pragma.CommandText = location.Durability == Durability.Full ? "PRAGMA synchronous = FULL" : "PRAGMA synchronous = NORMAL";
            pragma.ExecuteNonQuery();
            return connection;
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }
}
