using SQLitePCL;

namespace Eventuali.Sqlite;

/// <summary>The statements of Sql/stats.sql, run on a read session's connection.</summary>
internal static class StatsSql
{
    private static readonly Lazy<IReadOnlyDictionary<string, string>> Sections = new(Load);

    /// <summary>Runs the named statement and hands every row to <paramref name="onRow"/>.</summary>
    public static void Query(sqlite3 db, string name, Action<sqlite3_stmt> onRow)
    {
        var rc = raw.sqlite3_prepare_v2(db, Sections.Value[name], out var stmt);
        SqliteErrors.Check(db, rc, $"preparing statement '{name}'");
        using (stmt)
        {
            while ((rc = raw.sqlite3_step(stmt)) == raw.SQLITE_ROW)
            {
                onRow(stmt);
            }

            SqliteErrors.Check(db, rc, $"running '{name}'");
        }
    }

    private static IReadOnlyDictionary<string, string> Load() => SqlFile.Load("stats.sql");
}
