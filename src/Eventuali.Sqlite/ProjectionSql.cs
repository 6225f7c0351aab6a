using System.Reflection;

namespace Eventuali.Sqlite;

/// <summary>The named statements of Sql/projections.sql ("-- name: x" sections).</summary>
internal static class ProjectionSql
{
    private static readonly Lazy<IReadOnlyDictionary<string, string>> Statements = new(Load);

    public static string Get(string name)
        => Statements.Value.TryGetValue(name, out var sql) ? sql : throw new InvalidOperationException($"No embedded projection statement named '{name}'.");

    private static IReadOnlyDictionary<string, string> Load() => SqlFile.Load("projections.sql");
}
