using System.Collections.Frozen;

namespace Eventuali.PostgreSql;

/// <summary>The statements of Sql/snapshots.sql with the schema name filled in.</summary>
internal sealed class SnapshotSqlText
{
    private readonly FrozenDictionary<string, string> _sections;

    public SnapshotSqlText(PgSettings settings)
    {
        using var stream = typeof(SnapshotSqlText).Assembly.GetManifestResourceStream("Eventuali.PostgreSql.Sql.snapshots.sql")
            ?? throw new InvalidOperationException("Embedded SQL 'snapshots.sql' is missing from the assembly.");
        using var reader = new StreamReader(stream);
        var text = reader.ReadToEnd().Replace("__SCHEMA__", settings.QuotedSchema, StringComparison.Ordinal);
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        const string marker = "-- name:";
        foreach (var section in text.Split(marker).Skip(1))
        {
            var newline = section.IndexOf('\n', StringComparison.Ordinal);
            var body = section[(newline + 1)..].Split('\n').Where(l => !l.TrimStart().StartsWith("--", StringComparison.Ordinal));
            result[section[..newline].Trim()] = string.Join('\n', body).Trim();
        }

        _sections = result.ToFrozenDictionary(StringComparer.Ordinal);
    }

    public string this[string name] => _sections.TryGetValue(name, out var sql) ? sql : throw new KeyNotFoundException($"No SQL section '{name}'.");
}
