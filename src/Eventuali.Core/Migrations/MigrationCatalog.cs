using System.Globalization;
using System.Reflection;
using System.Security.Cryptography;
using System.Text;
using Eventuali.Migrations;

namespace Eventuali.Extensibility;

/// <summary>One numbered migration script as shipped in a backend (<c>Sql/NNN_name.sql</c>), raw: placeholders not filled.</summary>
public sealed record MigrationScript(int Version, string Name, string Text)
{
    /// <summary>SHA-256 (lowercase hex) of the text with line endings normalised, so a checkout with CRLF does not count as a change.</summary>
    public string Checksum { get; } = ChecksumOf(Text);

    /// <summary>The checksum recorded for a migration script's text (detects a script edited after it was applied).</summary>
    public static string ChecksumOf(string text)
        => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text.Replace("\r\n", "\n", StringComparison.Ordinal))));
}

/// <summary>The ordered, forward-only migrations a backend knows. Gaps between numbers are allowed; duplicates are not.</summary>
public sealed class MigrationCatalog
{
    /// <summary>A catalog of <paramref name="scripts"/>, validated and ordered by version.</summary>
    public MigrationCatalog(IEnumerable<MigrationScript> scripts)
    {
        ArgumentNullException.ThrowIfNull(scripts);
        Scripts = [.. scripts.OrderBy(s => s.Version)];
        for (var i = 0; i < Scripts.Count; i++)
        {
            if (Scripts[i].Version < 1 || (i > 0 && Scripts[i].Version == Scripts[i - 1].Version))
            {
                throw new InvalidOperationException($"Migration number {Scripts[i].Version} is invalid or used twice; each Sql/NNN_name.sql needs its own number from 1 up.");
            }
        }
    }

    /// <summary>The scripts in version order.</summary>
    public IReadOnlyList<MigrationScript> Scripts { get; }

    /// <summary>The highest migration number (0 when there are none).</summary>
    public int LatestVersion => Scripts.Count == 0 ? 0 : Scripts[^1].Version;

    /// <summary>The script of <paramref name="version"/>, or null when the catalog has none.</summary>
    public MigrationScript? Find(int version) => Scripts.FirstOrDefault(s => s.Version == version);

    /// <summary>This catalog plus <paramref name="extra"/> (tests exercise upgrades with a migration of their own).</summary>
    public MigrationCatalog With(params MigrationScript[] extra) => new(Scripts.Concat(extra));

    /// <summary>This catalog without the migrations above <paramref name="version"/>.</summary>
    public MigrationCatalog UpTo(int version) => new(Scripts.Where(s => s.Version <= version));

    /// <summary>The embedded resources <c>{prefix}NNN_name.sql</c> of <paramref name="assembly"/>.</summary>
    public static MigrationCatalog FromResources(Assembly assembly, string prefix)
    {
        ArgumentNullException.ThrowIfNull(assembly);
        var scripts = new List<MigrationScript>();
        foreach (var resource in assembly.GetManifestResourceNames())
        {
            if (!resource.StartsWith(prefix, StringComparison.Ordinal) || !resource.EndsWith(".sql", StringComparison.Ordinal))
            {
                continue;
            }

            var file = resource[prefix.Length..^4];
            var underscore = file.IndexOf('_', StringComparison.Ordinal);
            if (underscore > 0 && !file.Contains('.', StringComparison.Ordinal)
                && int.TryParse(file.AsSpan(0, underscore), NumberStyles.None, CultureInfo.InvariantCulture, out var version))
            {
                using var stream = assembly.GetManifestResourceStream(resource)!;
                using var reader = new StreamReader(stream, Encoding.UTF8);
                scripts.Add(new MigrationScript(version, file[(underscore + 1)..], reader.ReadToEnd()));
            }
        }

        return new MigrationCatalog(scripts);
    }
}
