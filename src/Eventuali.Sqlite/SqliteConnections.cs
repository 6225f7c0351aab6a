using Eventuali.Migrations;
using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace Eventuali.Sqlite;

/// <summary>Opens the writer and reader connections of a store and sets their PRAGMAs explicitly.</summary>
internal static class SqliteConnections
{
    /// <summary>How long SQLite itself waits for a lock before reporting busy; callers retry on top.</summary>
    public const int BusyTimeoutMs = 1000;

    private static readonly byte[] Header = "SQLite format 3\0"u8.ToArray();

    /// <summary>Opens the writer connection: checks the file, creates or upgrades the schema, sets WAL and durability.</summary>
    public static SqliteConnection OpenWriter(SqliteLocation location, MigrationCatalog catalog, EventStoreOptions options)
    {
        if (location.FilePath is { } path)
        {
            CheckHeader(path);
        }

        var connection = Open(location, SqliteOpenMode.ReadWriteCreate);
        try
        {
            if (location.FilePath is { } file && raw.sqlite3_db_readonly(connection.Handle!, "main") == 1)
            {
                throw new EventStoreConfigurationException($"The SQLite file '{file}' is not writable.");
            }

            // Classify before anything that changes the file (journal_mode=WAL rewrites the header).
            var action = SqliteSchema.CheckOnOpen(connection, location, catalog, options.ApplyMigrationsOnOpen);
            var mode = Pragma(connection, location, "journal_mode = WAL");
            if (!location.IsMemory && !string.Equals(mode, "wal", StringComparison.OrdinalIgnoreCase))
            {
                throw new EventStoreConfigurationException($"The SQLite file '{location.Display}' could not switch to WAL mode (got '{mode}').");
            }

            Pragma(connection, location, location.Durability == Durability.Full ? "synchronous = FULL" : "synchronous = NORMAL");
            Pragma(connection, location, "foreign_keys = ON");
            if (action != OpenAction.None)
            {
                SqliteMigrationRunner.Up(connection, location, catalog, null, options.TimeProvider);
            }

            return connection;
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    /// <summary>
    /// A read connection on a file store (WAL readers never block the writer). Opened on the raw API
    /// with SQLITE_OPEN_NOMUTEX: a session is used by one thread at a time, so SQLite's per-call
    /// connection mutex is pure cost on the read path.
    /// </summary>
    public static sqlite3 OpenReader(SqliteLocation location)
    {
        var rc = raw.sqlite3_open_v2(location.FilePath!, out var db, raw.SQLITE_OPEN_READWRITE | raw.SQLITE_OPEN_NOMUTEX, null);
        if (rc != raw.SQLITE_OK)
        {
            var message = db is null ? rc.ToString(System.Globalization.CultureInfo.InvariantCulture) : raw.sqlite3_errmsg(db).utf8_to_string();
            db?.Dispose();
            throw new EventStoreConfigurationException($"Cannot open a read connection to the SQLite file '{location.Display}': {message}");
        }

        raw.sqlite3_busy_timeout(db, BusyTimeoutMs);
        return db;
    }

    internal static SqliteConnection Open(SqliteLocation location, SqliteOpenMode mode)
    {
        var builder = new SqliteConnectionStringBuilder
        {
            DataSource = location.FilePath ?? SqliteLocation.MemoryPath,
            Mode = location.IsMemory ? SqliteOpenMode.Memory : mode,
            Cache = SqliteCacheMode.Private,
            Pooling = false,
        };
        var connection = new SqliteConnection(builder.ToString());
        try
        {
            connection.Open();
            raw.sqlite3_busy_timeout(connection.Handle!, BusyTimeoutMs);
            return connection;
        }
        catch (SqliteException ex)
        {
            connection.Dispose();
            throw new EventStoreConfigurationException($"Cannot open or create the SQLite file '{location.Display}': {ex.Message}", ex);
        }
    }

    internal static string? Pragma(SqliteConnection connection, SqliteLocation location, string pragma)
    {
        try
        {
            using var command = connection.CreateCommand();
            command.CommandText = "PRAGMA " + pragma;
            return command.ExecuteScalar()?.ToString();
        }
        catch (SqliteException ex)
        {
            throw new EventStoreConfigurationException($"Cannot set 'PRAGMA {pragma}' on the SQLite file '{location.Display}' (is its directory writable?): {ex.Message}", ex);
        }
    }

    internal static void CheckHeader(string path)
    {
        if (!File.Exists(path))
        {
            return;
        }

        Span<byte> header = stackalloc byte[16];
        int read;
        try
        {
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            read = stream.ReadAtLeast(header, header.Length, throwOnEndOfStream: false);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new EventStoreConfigurationException($"Cannot read the SQLite file '{path}': {ex.Message}", ex);
        }

        // An empty file is an empty database to SQLite; anything else must carry the header.
        if (read > 0 && (read < header.Length || !header.SequenceEqual(Header)))
        {
            throw new EventStoreConfigurationException($"The file '{path}' is not a SQLite database.");
        }
    }
}
