using System.Globalization;
using Eventuali.Migrations;
using Microsoft.Data.Sqlite;

namespace Eventuali.Sqlite;

/// <summary>Reads a store's schema version and migration history, and decides what opening it must do.</summary>
internal static class SqliteSchema
{
    public const string Marker = "eventuali";

    /// <summary>
    /// Classifies the file without changing it: refuses a file that is not an Eventuali store, a store newer than
    /// this library, a modified applied migration, and pending migrations unless <paramref name="applyOnOpen"/>.
    /// An up-to-date store costs one query.
    /// </summary>
    public static OpenAction CheckOnOpen(SqliteConnection connection, SqliteLocation location, MigrationCatalog catalog, bool applyOnOpen)
    {
        try
        {
            var store = SqliteMigrations.Describe(location);
            if (TryReadFast(connection) is { } fast && MigrationLedger.Status(store, catalog, fast) is { IsUpToDate: true } status)
            {
                return MigrationLedger.OnOpen(status, applyOnOpen);
            }

            return MigrationLedger.OnOpen(MigrationLedger.Status(store, catalog, Read(connection, null, location)), applyOnOpen);
        }
        catch (SqliteException ex) when (ex.SqliteErrorCode == SQLitePCL.raw.SQLITE_NOTADB)
        {
            throw new EventStoreConfigurationException($"The file '{location.Display}' is not a SQLite database.", ex);
        }
    }

    /// <summary>The full state: 0 for an empty database; the stored version and history for an Eventuali store; throws for anything else.</summary>
    public static StoredSchema Read(SqliteConnection connection, SqliteTransaction? transaction, SqliteLocation location)
    {
        long tables, hasMeta, hasHistory;
        using (var command = Command(connection, transaction, SqliteMigrations.Get("tables")))
        using (var reader = command.ExecuteReader())
        {
            reader.Read();
            (tables, hasMeta, hasHistory) = (reader.GetInt64(0), reader.GetInt64(1), reader.GetInt64(2));
        }

        if (hasMeta == 0)
        {
            return tables == 0 ? StoredSchema.Empty : throw new EventStoreConfigurationException(
                $"The SQLite file '{location.Display}' is not an Eventuali store: it has {tables} table(s) and no eventuali_meta table. Use a new file.");
        }

        string? text;
        using (var command = Command(connection, transaction, SqlText.Get("meta_version")))
        {
            text = command.ExecuteScalar() as string;
        }

        if (!int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var version) || version < 1)
        {
            throw new EventStoreConfigurationException($"The SQLite file '{location.Display}' has an eventuali_meta table without a valid schema_version ('{text}').");
        }

        var history = new List<HistoryRow>();
        if (hasHistory > 0)
        {
            using var command = Command(connection, transaction, SqliteMigrations.Get("history_read"));
            using var reader = command.ExecuteReader();
            while (reader.Read())
            {
                history.Add(new HistoryRow(
                    reader.GetInt32(0), reader.GetString(1), reader.GetString(2),
                    DateTimeOffset.Parse(reader.GetString(3), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal), reader.GetInt64(4)));
            }
        }

        return new StoredSchema(version, hasHistory > 0, history);
    }

    internal static SqliteCommand Command(SqliteConnection connection, SqliteTransaction? transaction, string sql)
    {
        var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        return command;
    }

    /// <summary>Version and checksums in one statement; null when meta or history is missing (then the slow path classifies).</summary>
    private static StoredSchema? TryReadFast(SqliteConnection connection)
    {
        try
        {
            using var command = Command(connection, null, SqliteMigrations.Get("schema_state"));
            using var reader = command.ExecuteReader();
            var version = -1;
            var history = new List<HistoryRow>();
            while (reader.Read())
            {
                if (!int.TryParse(reader.GetString(0), NumberStyles.None, CultureInfo.InvariantCulture, out version))
                {
                    return null;
                }

                if (!reader.IsDBNull(1))
                {
                    history.Add(new HistoryRow(reader.GetInt32(1), string.Empty, reader.GetString(2), null, null));
                }
            }

            return version < 1 ? null : new StoredSchema(version, true, history);
        }
        catch (SqliteException ex) when (ex.SqliteErrorCode == SQLitePCL.raw.SQLITE_ERROR)
        {
            return null; // no such table
        }
    }
}
