using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace Eventuali.Sqlite;

/// <summary>Turns SQLite result codes into exceptions that say what was being done and where.</summary>
internal static class SqliteErrors
{
    public static bool IsBusy(int rc) => (rc & 0xFF) is raw.SQLITE_BUSY or raw.SQLITE_LOCKED;

    /// <summary>
    /// The exception for <paramref name="rc"/>: <see cref="EventStoreFullException"/> when the disk or the file's size
    /// limit is full (the caller's words, with the file), else a <see cref="SqliteException"/> with SQLite's message.
    /// </summary>
    public static Exception Create(sqlite3 db, int rc, string doing)
    {
        var message = raw.sqlite3_errmsg(db).utf8_to_string();
        var extended = raw.sqlite3_extended_errcode(db);
        var error = new SqliteException($"SQLite error {rc} ({message}) while {doing}.", rc & 0xFF, extended);
        if ((rc & 0xFF) == raw.SQLITE_FULL)
        {
            var file = raw.sqlite3_db_filename(db, "main").utf8_to_string();
            var where = string.IsNullOrEmpty(file) ? "the SQLite in-memory database" : $"the SQLite file '{file}'";
            return new EventStoreFullException(
                $"The disk holding {where} is full (or the file reached its size limit) while {doing}: nothing of this write was stored and earlier events are intact. Free space, then retry; retrying with the same event ids is safe.",
                error);
        }

        return error;
    }

    public static void Check(sqlite3 db, int rc, string doing)
    {
        if (rc is not raw.SQLITE_OK and not raw.SQLITE_DONE and not raw.SQLITE_ROW)
        {
            throw Create(db, rc, doing);
        }
    }
}
