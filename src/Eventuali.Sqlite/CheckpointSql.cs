namespace Eventuali.Sqlite;

/// <summary>The statements of Sql/checkpoints.sql, by section name.</summary>
internal static class CheckpointSql
{
    private static readonly Lazy<IReadOnlyDictionary<string, string>> Sections = new(Parse);

    public static string Load => Sections.Value["checkpoint_load"];

    public static string Save => Sections.Value["checkpoint_save"];

    private static IReadOnlyDictionary<string, string> Parse() => SqlFile.Load("checkpoints.sql");
}
