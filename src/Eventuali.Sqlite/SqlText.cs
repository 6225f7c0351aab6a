namespace Eventuali.Sqlite;

/// <summary>The embedded SQL: the named run-time statements (migrations: <see cref="SqliteMigrations"/>).</summary>
internal static class SqlText
{
    private static readonly Lazy<IReadOnlyDictionary<string, string>> Queries = new(LoadQueries);

    /// <summary>The latest schema version: the highest numbered migration (Sql/NNN_name.sql).</summary>
    public static int LatestVersion => SqliteMigrations.Catalog.LatestVersion;

    public static string Get(string name)
        => Queries.Value.TryGetValue(name, out var sql) ? sql : throw new InvalidOperationException($"No embedded SQL statement named '{name}'.");

    // queries.sql and lifecycle.sql; the other statement files have loaders of their own.
    private static Dictionary<string, string> LoadQueries()
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var file in (string[])["queries.sql", "lifecycle.sql"])
        {
            foreach (var (name, sql) in SqlFile.Load(file))
            {
                result.Add(name, sql);
            }
        }

        return result;
    }
}
