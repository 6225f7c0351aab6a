using System.Globalization;
using Microsoft.Data.Sqlite;

namespace Eventuali.Sqlite;

/// <summary>Recognises an Eventuali store and creates or upgrades its schema, one transaction per upgrade.</summary>
internal static class SqliteSchema
{
    public const string Marker = "eventuali";

    /// <summary>Refuses, without changing anything, a file that is not an Eventuali store or is newer than this library.</summary>
    public static void CheckCompatible(SqliteConnection connection, SqliteLocation location)
    {
        try
        {
            _ = ReadVersion(connection, null, location);
        }
        catch (SqliteException ex) when (ex.SqliteErrorCode == SQLitePCL.raw.SQLITE_NOTADB)
        {
            throw new EventStoreConfigurationException($"The file '{location.Display}' is not a SQLite database.", ex);
        }
    }

    /// <summary>Brings the schema to the latest version. Concurrent openers serialise on BEGIN IMMEDIATE and re-check inside.</summary>
    public static void Migrate(SqliteConnection connection, SqliteLocation location)
    {
        if (ReadVersion(connection, null, location) >= SqlText.LatestVersion)
        {
            return;
        }

        using var transaction = connection.BeginTransaction(deferred: false);
        try
        {
            var current = ReadVersion(connection, transaction, location);
            foreach (var (version, script) in SqlText.Migrations)
            {
                if (version <= current)
                {
                    continue;
                }

                Execute(connection, transaction, script);
                using var set = connection.CreateCommand();
                set.Transaction = transaction;
                set.CommandText = SqlText.Get("meta_set");
                set.Parameters.AddWithValue("?1", "schema_version");
                set.Parameters.AddWithValue("?2", version.ToString(CultureInfo.InvariantCulture));
                set.ExecuteNonQuery();
                set.Parameters[0].Value = "marker";
                set.Parameters[1].Value = Marker;
                set.ExecuteNonQuery();
            }

            transaction.Commit();
        }
        catch (SqliteException ex)
        {
            throw new EventStoreConfigurationException($"Cannot create the Eventuali schema in the SQLite file '{location.Display}': {ex.Message}", ex);
        }
    }

    /// <summary>0 for an empty database; the stored version for an Eventuali store; throws for anything else.</summary>
    private static int ReadVersion(SqliteConnection connection, SqliteTransaction? transaction, SqliteLocation location)
    {
        var tables = Convert.ToInt64(Scalar(connection, transaction, SqlText.Get("table_count")), CultureInfo.InvariantCulture);
        var hasMeta = Convert.ToInt64(Scalar(connection, transaction, SqlText.Get("has_meta")), CultureInfo.InvariantCulture) > 0;
        if (!hasMeta)
        {
            return tables == 0 ? 0 : throw new EventStoreConfigurationException(
                $"The SQLite file '{location.Display}' is not an Eventuali store: it has {tables} table(s) and no eventuali_meta table. Use a new file.");
        }

        var text = Scalar(connection, transaction, SqlText.Get("meta_version")) as string;
        if (!int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var version) || version < 1)
        {
            throw new EventStoreConfigurationException($"The SQLite file '{location.Display}' has an eventuali_meta table without a valid schema_version ('{text}').");
        }

        if (version > SqlText.LatestVersion)
        {
            throw new EventStoreConfigurationException(
                $"The SQLite file '{location.Display}' has Eventuali schema version {version}; this library supports up to version {SqlText.LatestVersion}. Upgrade Eventuali to open it.");
        }

        return version;
    }

    private static object? Scalar(SqliteConnection connection, SqliteTransaction? transaction, string sql)
    {
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        return command.ExecuteScalar();
    }

    private static void Execute(SqliteConnection connection, SqliteTransaction transaction, string sql)
    {
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }
}
