using System.Reflection;

namespace Eventuali.Sqlite;

/// <summary>The named statements of Sql/projections.sql ("-- name: x" sections).</summary>
internal static class ProjectionSql
{
    private static readonly Lazy<Dictionary<string, string>> Statements = new(Load);

    public static string Get(string name)
        => Statements.Value.TryGetValue(name, out var sql) ? sql : throw new InvalidOperationException($"No embedded projection statement named '{name}'.");

    private static Dictionary<string, string> Load()
    {
        var assembly = typeof(ProjectionSql).Assembly;
        using var stream = assembly.GetManifestResourceStream("Eventuali.Sqlite.Sql.projections.sql")
            ?? throw new InvalidOperationException("Embedded SQL 'projections.sql' is missing from the assembly.");
        using var reader = new StreamReader(stream);
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var section in reader.ReadToEnd().Split("-- name: ", StringSplitOptions.None).Skip(1))
        {
            var newline = section.IndexOf('\n', StringComparison.Ordinal);
            var body = section[(newline + 1)..];
            result.Add(section[..newline].Trim(), body[..(body.LastIndexOf(';') + 1)].Trim());
        }

        return result;
    }
}
