using System.Collections.Frozen;

namespace Eventuali.PostgreSql;

/// <summary>The statements of Sql/projections.sql for one store, schema name filled in.</summary>
internal sealed class ProjectionSql(PgSettings settings)
{
    private readonly FrozenDictionary<string, string> _statements = SqlFile.Load("projections.sql", settings);

    public string this[string name] => _statements.TryGetValue(name, out var sql) ? sql : throw new KeyNotFoundException($"No projection SQL section '{name}'.");
}
