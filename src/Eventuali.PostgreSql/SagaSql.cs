using System.Collections.Frozen;

namespace Eventuali.PostgreSql;

/// <summary>The saga statements (Sql/sagas.sql) of one store, schema name filled in.</summary>
internal sealed class SagaSql(PgSettings settings)
{
    private readonly FrozenDictionary<string, string> _sections = SqlFile.Load("sagas.sql", settings);

    public string this[string name] => _sections.TryGetValue(name, out var sql) ? sql : throw new KeyNotFoundException($"No saga SQL section '{name}'.");
}
