using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace Eventuali.Sqlite;

/// <summary>Turns SQLite result codes into exceptions that say what was being done and where.</summary>
internal static class SqliteErrors
{
    public static bool IsBusy(int rc) => (rc & 0xFF) is raw.SQLITE_BUSY or raw.SQLITE_LOCKED;

    public static SqliteException Create(sqlite3 db, int rc, string doing)
    {
        var message = raw.sqlite3_errmsg(db).utf8_to_string();
        var extended = raw.sqlite3_extended_errcode(db);
        return new SqliteException($"SQLite error {rc} ({message}) while {doing}.", rc & 0xFF, extended);
    }

    public static void Check(sqlite3 db, int rc, string doing)
    {
        if (rc is not raw.SQLITE_OK and not raw.SQLITE_DONE and not raw.SQLITE_ROW)
        {
            throw Create(db, rc, doing);
        }
    }
}
