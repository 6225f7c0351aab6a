using SQLitePCL;

namespace Eventuali.Sqlite;

/// <summary>The statements of Sql/stats.sql, run on a read session's connection.</summary>
internal static class StatsSql
{
    private static readonly Lazy<Dictionary<string, string>> Sections = new(Load);

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

    private static Dictionary<string, string> Load()
    {
        const string resource = "Eventuali.Sqlite.Sql.stats.sql";
        using var stream = typeof(StatsSql).Assembly.GetManifestResourceStream(resource)
            ?? throw new InvalidOperationException($"Embedded SQL '{resource}' is missing from the assembly.");
        using var reader = new StreamReader(stream);
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        const string marker = "-- name: ";
        foreach (var section in reader.ReadToEnd().Split(marker).Skip(1))
        {
            var newline = section.IndexOf('\n', StringComparison.Ordinal);
            var body = section[(newline + 1)..];
            result.Add(section[..newline].Trim(), body[..(body.LastIndexOf(';') + 1)].Trim());
        }

        return result;
    }
}
