using Eventuali.Migrations;

namespace Eventuali.Sqlite;

/// <summary>The embedded migrations (Sql/NNN_name.sql) and the runner's own statements (Sql/migrations.sql).</summary>
internal static class SqliteMigrations
{
    private static readonly Lazy<IReadOnlyDictionary<string, string>> Statements =
        new(() => SqlSections.Load(typeof(SqliteMigrations).Assembly, "Eventuali.Sqlite.Sql.migrations.sql"));

    public static MigrationCatalog Catalog { get; } = MigrationCatalog.FromResources(typeof(SqliteMigrations).Assembly, "Eventuali.Sqlite.Sql.");

    public static string Get(string name)
        => Statements.Value.TryGetValue(name, out var sql) ? sql : throw new InvalidOperationException($"No migration statement named '{name}'.");

    /// <summary>How a store is named in messages.</summary>
    public static string Describe(SqliteLocation location)
        => location.IsMemory ? "SQLite in-memory database" : $"SQLite file '{location.FilePath}'";
}
