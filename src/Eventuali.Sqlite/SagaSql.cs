namespace Eventuali.Sqlite;

/// <summary>The saga statements (Sql/sagas.sql), one per "-- name:" section.</summary>
internal static class SagaSql
{
    private static readonly Lazy<Dictionary<string, string>> Sections = new(Load);

    public static string Get(string name)
        => Sections.Value.TryGetValue(name, out var sql) ? sql : throw new InvalidOperationException($"No embedded saga SQL statement named '{name}'.");

    private static Dictionary<string, string> Load()
    {
        var assembly = typeof(SagaSql).Assembly;
        var resource = assembly.GetManifestResourceNames().Single(r => r.EndsWith(".Sql.sagas.sql", StringComparison.Ordinal));
        using var stream = assembly.GetManifestResourceStream(resource)!;
        using var reader = new StreamReader(stream);
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        const string marker = "-- name: ";
        foreach (var section in reader.ReadToEnd().Split(marker, StringSplitOptions.None).Skip(1))
        {
            var newline = section.IndexOf('\n', StringComparison.Ordinal);
            var body = section[(newline + 1)..];
            result.Add(section[..newline].Trim(), body[..(body.LastIndexOf(';') + 1)].Trim());
        }

        return result;
    }
}
