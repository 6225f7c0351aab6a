using Eventuali.Migrations;

namespace Eventuali.PostgreSql;

/// <summary>The embedded migrations (Sql/NNN_name.sql) and the runner's own statements (Sql/migrations.sql).</summary>
internal static class PgMigrations
{
    private static readonly Lazy<IReadOnlyDictionary<string, string>> Statements =
        new(() => SqlSections.Load(typeof(PgMigrations).Assembly, "Eventuali.PostgreSql.Sql.migrations.sql"));

    public static MigrationCatalog Catalog { get; } = MigrationCatalog.FromResources(typeof(PgMigrations).Assembly, "Eventuali.PostgreSql.Sql.");

    /// <summary>A runner statement with the schema name filled in.</summary>
    public static string Get(string name, PgSettings settings)
        => Statements.Value.TryGetValue(name, out var sql) ? Fill(sql, settings) : throw new InvalidOperationException($"No migration statement named '{name}'.");

    /// <summary>A migration script as it runs: the checksum covers the raw text, so it is the same in every schema.</summary>
    public static string Fill(string script, PgSettings settings)
        => script.Replace("__SCHEMA__", settings.QuotedSchema, StringComparison.Ordinal);

    /// <summary>How a store is named in messages (never the password).</summary>
    public static string Describe(PgSettings settings) => $"PostgreSQL schema '{settings.Schema}' in database '{settings.Database}'";
}
