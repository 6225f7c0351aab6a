namespace Eventuali.Sqlite;

/// <summary>The saga statements (Sql/sagas.sql), one per "-- name:" section.</summary>
internal static class SagaSql
{
    private static readonly Lazy<IReadOnlyDictionary<string, string>> Sections = new(Load);

    public static string Get(string name)
        => Sections.Value.TryGetValue(name, out var sql) ? sql : throw new InvalidOperationException($"No embedded saga SQL statement named '{name}'.");

    private static IReadOnlyDictionary<string, string> Load() => SqlFile.Load("sagas.sql");
}
