using System.Collections.Frozen;

namespace Eventuali.PostgreSql;

/// <summary>The statements of Sql/leases.sql for one store, schema name filled in.</summary>
internal sealed class LeaseSql(PgSettings settings)
{
    private readonly FrozenDictionary<string, string> _statements = SqlFile.Load("leases.sql", settings);

    public string this[string name] => _statements.TryGetValue(name, out var sql) ? sql : throw new KeyNotFoundException($"No lease SQL section '{name}'.");
}

/// <summary>What a holder's transaction checks before it commits: the lease and the epoch it was given.</summary>
internal sealed record PgLeaseFence(LeaseSql Sql, string Name, long Epoch);
