namespace Eventuali.Sqlite;

/// <summary>The statements of Sql/data_keys.sql, by section name.</summary>
internal static class DataKeySql
{
    private static readonly Lazy<IReadOnlyDictionary<string, string>> Sections = new(() => SqlFile.Load("data_keys.sql"));

    public static string Get(string name) => Sections.Value[name];
}
