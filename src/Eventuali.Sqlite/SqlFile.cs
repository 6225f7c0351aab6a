using Eventuali.Migrations;

namespace Eventuali.Sqlite;

/// <summary>Loads one embedded statement file (Sql/NAME.sql, <c>-- name: x</c> sections) of this backend.</summary>
internal static class SqlFile
{
    public static IReadOnlyDictionary<string, string> Load(string file)
        => SqlSections.Load(typeof(SqlFile).Assembly, "Eventuali.Sqlite.Sql." + file);
}
