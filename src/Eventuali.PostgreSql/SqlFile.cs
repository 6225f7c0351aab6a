using System.Collections.Frozen;
using Eventuali.Migrations;

namespace Eventuali.PostgreSql;

/// <summary>Loads one embedded statement file (Sql/NAME.sql, <c>-- name: x</c> sections) with the store's schema name filled in (and, in shared tables, tenant_id in conflict targets: <see cref="SqlText.Fill"/>).</summary>
internal static class SqlFile
{
    public static FrozenDictionary<string, string> Load(string file, PgSettings settings)
        => SqlSections.Load(typeof(SqlFile).Assembly, "Eventuali.PostgreSql.Sql." + file)
            .ToFrozenDictionary(p => p.Key, p => SqlText.Fill(p.Value, settings), StringComparer.Ordinal);
}
