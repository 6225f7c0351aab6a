using System.Reflection;

namespace Eventuali.Sqlite;

/// <summary>The embedded SQL: the named run-time statements (migrations: <see cref="SqliteMigrations"/>).</summary>
internal static class SqlText
{
    private static readonly Lazy<IReadOnlyDictionary<string, string>> Queries = new(LoadQueries);

    /// <summary>The latest schema version: the highest numbered migration (Sql/NNN_name.sql).</summary>
    public static int LatestVersion => SqliteMigrations.Catalog.LatestVersion;

    public static string Get(string name)
        => Queries.Value.TryGetValue(name, out var sql) ? sql : throw new InvalidOperationException($"No embedded SQL statement named '{name}'.");

    private static Dictionary<string, string> LoadQueries()
    {
        // queries.sql and lifecycle.sql (the other statement files have loaders of their own). A section starts
        // at a line beginning with "-- name: " (the phrase inside other comments is not a section).
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        const string marker = "-- name: ";
        var files = Assembly.GetManifestResourceNames().Where(r => FileName(r) is "queries.sql" or "lifecycle.sql");
        foreach (var text in files.Select(Read))
        {
            foreach (var section in ("\n" + text.Replace("\r\n", "\n", StringComparison.Ordinal)).Split("\n" + marker, StringSplitOptions.None).Skip(1))
            {
                var newline = section.IndexOf('\n', StringComparison.Ordinal);
                var name = section[..newline].Trim();
                var body = section[(newline + 1)..];

                // A trailing comment belongs to the next section.
                var lastSemicolon = body.LastIndexOf(';');
                result.Add(name, body[..(lastSemicolon + 1)].Trim());
            }
        }

        return result;
    }

    private static Assembly Assembly => typeof(SqlText).Assembly;

    // Resource names look like Eventuali.Sqlite.Sql.001_schema.sql.
    private static string FileName(string resource)
    {
        var withoutExt = resource[..^4];
        return resource[(withoutExt.LastIndexOf('.') + 1)..];
    }

    private static string Read(string resource)
    {
        using var stream = Assembly.GetManifestResourceStream(resource)!;
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
