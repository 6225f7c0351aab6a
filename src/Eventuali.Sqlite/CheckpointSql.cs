namespace Eventuali.Sqlite;

/// <summary>The statements of Sql/checkpoints.sql, by section name.</summary>
internal static class CheckpointSql
{
    private static readonly Lazy<Dictionary<string, string>> Sections = new(Parse);

    public static string Load => Sections.Value["checkpoint_load"];

    public static string Save => Sections.Value["checkpoint_save"];

    private static Dictionary<string, string> Parse()
    {
        using var stream = typeof(CheckpointSql).Assembly.GetManifestResourceStream("Eventuali.Sqlite.Sql.checkpoints.sql")
            ?? throw new InvalidOperationException("Embedded SQL 'checkpoints.sql' is missing from the assembly.");
        using var reader = new StreamReader(stream);
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        const string marker = "-- name: ";
        foreach (var section in reader.ReadToEnd().Split(marker).Skip(1))
        {
            var newline = section.IndexOf('\n', StringComparison.Ordinal);
            var body = section[(newline + 1)..];
            result.Add(section[..newline].Trim(), body[..(body.LastIndexOf(';') + 1)].Trim());
        }

        return result;
    }
}
