using System.Collections.Frozen;
using System.Text;

namespace Eventuali.PostgreSql;

/// <summary>The statements of Sql/projections.sql for one store, schema name filled in.</summary>
internal sealed class ProjectionSql
{
    private readonly FrozenDictionary<string, string> _statements;

    public ProjectionSql(PgSettings settings)
    {
        using var stream = typeof(ProjectionSql).Assembly.GetManifestResourceStream("Eventuali.PostgreSql.Sql.projections.sql")
            ?? throw new InvalidOperationException("Embedded SQL 'projections.sql' is missing from the assembly.");
        using var reader = new StreamReader(stream, Encoding.UTF8);
        var text = reader.ReadToEnd().Replace("__SCHEMA__", settings.QuotedSchema, StringComparison.Ordinal);
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var section in text.Split("-- name: ", StringSplitOptions.None).Skip(1))
        {
            var newline = section.IndexOf('\n', StringComparison.Ordinal);
            var body = string.Join('\n', section[(newline + 1)..].Split('\n').Where(l => l.Trim().Length > 0 && !l.TrimStart().StartsWith("--", StringComparison.Ordinal)));
            result.Add(section[..newline].Trim(), body.Trim());
        }

        _statements = result.ToFrozenDictionary(StringComparer.Ordinal);
    }

    public string this[string name] => _statements.TryGetValue(name, out var sql) ? sql : throw new KeyNotFoundException($"No projection SQL section '{name}'.");
}
