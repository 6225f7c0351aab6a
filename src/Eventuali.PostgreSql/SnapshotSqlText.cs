using System.Collections.Frozen;

namespace Eventuali.PostgreSql;

/// <summary>The statements of Sql/snapshots.sql with the schema name filled in.</summary>
internal sealed class SnapshotSqlText(PgSettings settings)
{
    private readonly FrozenDictionary<string, string> _sections = SqlFile.Load("snapshots.sql", settings);

    public string this[string name] => _sections.TryGetValue(name, out var sql) ? sql : throw new KeyNotFoundException($"No SQL section '{name}'.");
}
