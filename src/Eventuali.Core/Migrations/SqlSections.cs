using System.Reflection;
using System.Text;
using Eventuali.Migrations;

namespace Eventuali.Extensibility;

/// <summary>Reads an embedded SQL file made of <c>-- name: x</c> sections (comment lines dropped).</summary>
public static class SqlSections
{
    /// <summary>Reads the embedded SQL file <paramref name="resource"/> of <paramref name="assembly"/> and splits it into named sections.</summary>
    public static IReadOnlyDictionary<string, string> Load(Assembly assembly, string resource)
    {
        ArgumentNullException.ThrowIfNull(assembly);
        using var stream = assembly.GetManifestResourceStream(resource)
            ?? throw new InvalidOperationException($"Embedded SQL '{resource}' is missing from the assembly.");
        using var reader = new StreamReader(stream, Encoding.UTF8);
        return Parse(reader.ReadToEnd());
    }

    /// <summary>Splits SQL text into sections, each headed by a <c>-- name: NAME</c> line.</summary>
    public static Dictionary<string, string> Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
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
        return result;

        void Flush()
        {
            if (current is not null)
            {
                result[current] = body.ToString().TrimEnd();
            }

            body.Clear();
        }
    }
}
