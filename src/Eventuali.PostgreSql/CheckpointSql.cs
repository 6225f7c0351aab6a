using System.Text;

namespace Eventuali.PostgreSql;

/// <summary>The statements of Sql/checkpoints.sql with the schema filled in.</summary>
internal sealed class CheckpointSql
{
    public CheckpointSql(PgSettings settings)
    {
        using var stream = typeof(CheckpointSql).Assembly.GetManifestResourceStream("Eventuali.PostgreSql.Sql.checkpoints.sql")
            ?? throw new InvalidOperationException("Embedded SQL 'checkpoints.sql' is missing from the assembly.");
        using var reader = new StreamReader(stream, Encoding.UTF8);
        var sections = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var section in reader.ReadToEnd().Replace("__SCHEMA__", settings.QuotedSchema, StringComparison.Ordinal).Split("-- name:").Skip(1))
        {
            var lines = section.Split('\n');
            var body = lines.Skip(1).Where(l => l.Trim().Length > 0 && !l.TrimStart().StartsWith("--", StringComparison.Ordinal));
            sections.Add(lines[0].Trim(), string.Join('\n', body).Trim());
        }

        Load = sections["checkpoint_load"];
        Save = sections["checkpoint_save"];
    }

    public string Load { get; }

    public string Save { get; }
}
