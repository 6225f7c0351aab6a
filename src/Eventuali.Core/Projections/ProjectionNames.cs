using System.Text.RegularExpressions;

namespace Eventuali.Projections;

/// <summary>Projection names: 1-100 of letters, digits, '_', '-', '.', starting with a letter or digit (they name lock files).</summary>
public static partial class ProjectionNames
{
    /// <summary>Throws <see cref="ArgumentException"/> unless <paramref name="name"/> is a valid projection name.</summary>
    public static void Validate(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (!Pattern().IsMatch(name))
        {
            throw new ArgumentException($"Projection name '{name}' is not valid: use 1-100 letters, digits, '_', '-' or '.', starting with a letter or digit.", nameof(name));
        }
    }

    /// <summary>Throws <see cref="ArgumentException"/> unless <paramref name="key"/> is a valid read-model document key (1-400 characters).</summary>
    public static void ValidateKey(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        if (key.Length is 0 or > 400)
        {
            throw new ArgumentException($"A read-model document key must have 1-400 characters; got {key.Length}.", nameof(key));
        }
    }

    /// <summary>Throws <see cref="ArgumentException"/> naming <paramref name="key"/> unless <paramref name="json"/> is valid JSON.</summary>
    public static void ValidateJson(string key, string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        try
        {
            using var _ = System.Text.Json.JsonDocument.Parse(json);
        }
        catch (System.Text.Json.JsonException ex)
        {
            throw new ArgumentException($"The read-model document '{key}' is not valid JSON: {ex.Message}", nameof(json), ex);
        }
    }

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9_.-]{0,99}$", RegexOptions.CultureInvariant)]
    private static partial Regex Pattern();
}
