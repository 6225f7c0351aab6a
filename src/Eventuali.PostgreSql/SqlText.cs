using System.Collections.Frozen;
using System.Text;

namespace Eventuali.PostgreSql;

/// <summary>The embedded SQL of one store, with the schema name (and channel) filled in (migrations: <see cref="PgMigrations"/>).</summary>
internal sealed class SqlText
{
    private readonly FrozenDictionary<string, string> _queries;

    public SqlText(PgSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        AppendFunction = Fill(Load("append.sql") + "\n" + Load("append_many.sql") + "\n" + Load("tenant_admit.sql"), settings);
        // queries.sql, lifecycle.sql, chain.sql, data_keys.sql (the appender records subjects), replicas.sql and usage.sql (tenant metering); the other statement
        // files have loaders of their own.
        var queries = ((string[])["queries.sql", "lifecycle.sql", "chain.sql", "data_keys.sql", "replicas.sql", "usage.sql"]).SelectMany(f => SqlSections.Parse(Fill(Load(f), settings))).ToDictionary(StringComparer.Ordinal);
        // Live and archived stream reads page the same way: one template, four statements.
        var page = queries["stream_page"];
        foreach (var (table, prefix) in (ReadOnlySpan<(string, string)>)[("events", "read_stream"), ("archived_events", "archived")])
        {
            queries.Add(prefix + "_forward", StreamPage(page, table, forward: true));
            queries.Add(prefix + "_backward", StreamPage(page, table, forward: false));
        }

        _queries = queries.ToFrozenDictionary(StringComparer.Ordinal);
        ReadAll = new string[4];
        for (var i = 0; i < 4; i++)
        {
            var filter = ((i & 1) != 0 ? this["filter_types"] + "\n" : string.Empty) + ((i & 2) != 0 ? this["filter_prefix"] : string.Empty);
            ReadAll[i] = this["read_all"].Replace("/*FILTER*/", filter, StringComparison.Ordinal);
        }
    }

    /// <summary>The append functions (append.sql, append_many.sql, tenant_admit.sql), re-created by the migration run that reaches the latest version.</summary>
    public string AppendFunction { get; }

    /// <summary>read_all without filter, with types (1), with prefix (2), with both (3).</summary>
    public string[] ReadAll { get; }

    public string this[string name] => _queries.TryGetValue(name, out var sql) ? sql : throw new KeyNotFoundException($"No SQL section '{name}'.");

    private static string StreamPage(string template, string table, bool forward)
        => template.Replace("__TABLE__", table, StringComparison.Ordinal)
                   .Replace("__CMP__", forward ? ">=" : "<=", StringComparison.Ordinal)
                   .Replace("__ORDER__", forward ? "ASC" : "DESC", StringComparison.Ordinal);

    /// <summary>
    /// Fills in the schema and channel; in shared tables (<see cref="PgSettings.Rls"/>) every key holds tenant_id, so
    /// every conflict target names it too (a target's column order does not matter): done here, once, for every statement file and the append functions.
    /// </summary>
    internal static string Fill(string sql, PgSettings settings)
    {
        var filled = sql.Replace("__SCHEMA__", settings.QuotedSchema, StringComparison.Ordinal)
                        .Replace("__CHANNEL__", $"\"{settings.Channel}\"", StringComparison.Ordinal);
        return settings.Rls ? filled.Replace("ON CONFLICT (", "ON CONFLICT (tenant_id, ", StringComparison.Ordinal) : filled;
    }

    private static string Load(string file)
    {
        var name = $"Eventuali.PostgreSql.Sql.{file}";
        using var stream = typeof(SqlText).Assembly.GetManifestResourceStream(name)
            ?? throw new InvalidOperationException($"Embedded SQL '{name}' is missing from the assembly.");
        using var reader = new StreamReader(stream, Encoding.UTF8);
        return reader.ReadToEnd();
    }
}
