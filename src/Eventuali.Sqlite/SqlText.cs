namespace Eventuali.Sqlite;

/// <summary>The embedded SQL: the named run-time statements (migrations: <see cref="SqliteMigrations"/>).</summary>
internal static class SqlText
{
    private static readonly Lazy<IReadOnlyDictionary<string, string>> Queries = new(LoadQueries);

    /// <summary>The latest schema version: the highest numbered migration (Sql/NNN_name.sql).</summary>
    public static int LatestVersion => SqliteMigrations.Catalog.LatestVersion;

    public static string Get(string name)
        => Queries.Value.TryGetValue(name, out var sql) ? sql : throw new InvalidOperationException($"No embedded SQL statement named '{name}'.");

    // queries.sql, lifecycle.sql and chain.sql; the other statement files have loaders of their own.
    private static Dictionary<string, string> LoadQueries()
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var file in (string[])["queries.sql", "lifecycle.sql", "chain.sql"])
        {
            foreach (var (name, sql) in SqlFile.Load(file))
            {
                result.Add(name, sql);
            }
        }

        // Live and archived stream reads page the same way: one template, four statements.
        var page = result["stream_page"];
        foreach (var (table, prefix) in (ReadOnlySpan<(string, string)>)[("events", "read_stream"), ("archived_events", "archived")])
        {
            result.Add(prefix + "_forward", StreamPage(page, table, forward: true));
            result.Add(prefix + "_backward", StreamPage(page, table, forward: false));
        }

        return result;
    }

    private static string StreamPage(string template, string table, bool forward)
        => template.Replace("__TABLE__", table, StringComparison.Ordinal)
                   .Replace("__CMP__", forward ? ">=" : "<=", StringComparison.Ordinal)
                   .Replace("__ORDER__", forward ? "ASC" : "DESC", StringComparison.Ordinal);
}
