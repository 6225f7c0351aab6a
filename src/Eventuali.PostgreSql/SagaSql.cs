using System.Collections.Frozen;
using System.Text;

namespace Eventuali.PostgreSql;

/// <summary>The saga statements (Sql/sagas.sql) of one store, schema name filled in.</summary>
internal sealed class SagaSql
{
    private readonly FrozenDictionary<string, string> _sections;

    public SagaSql(PgSettings settings)
    {
        const string name = "Eventuali.PostgreSql.Sql.sagas.sql";
        using var stream = typeof(SagaSql).Assembly.GetManifestResourceStream(name)
            ?? throw new InvalidOperationException($"Embedded SQL '{name}' is missing from the assembly.");
        using var reader = new StreamReader(stream, Encoding.UTF8);
        var text = reader.ReadToEnd().Replace("__SCHEMA__", settings.QuotedSchema, StringComparison.Ordinal);
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        string? current = null;
        var body = new StringBuilder();
        foreach (var raw in text.Split('\n'))
        {
            var line = raw.TrimEnd('\r');
            if (line.StartsWith("-- name:", StringComparison.Ordinal))
            {
                Flush();
                current = line["-- name:".Length..].Trim();
            }
            else if (!line.TrimStart().StartsWith("--", StringComparison.Ordinal) && line.Trim().Length > 0)
            {
                body.Append(line).Append('\n');
            }
        }

        Flush();
        _sections = result.ToFrozenDictionary(StringComparer.Ordinal);

        void Flush()
        {
            if (current is not null)
            {
                result[current] = body.ToString().TrimEnd();
            }

            body.Clear();
        }
    }

    public string this[string name] => _sections.TryGetValue(name, out var sql) ? sql : throw new KeyNotFoundException($"No saga SQL section '{name}'.");
}
