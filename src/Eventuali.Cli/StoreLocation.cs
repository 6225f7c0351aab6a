namespace Eventuali.Cli;

/// <summary>What a store URL points at, for messages ("created new file" vs "opened existing store").</summary>
internal static class StoreLocation
{
    /// <summary>The SQLite file a sqlite:// URL names, or null for other schemes and in-memory SQLite.</summary>
    public static string? SqliteFile(string url)
    {
        const string prefix = "sqlite://";
        if (!url.StartsWith(prefix, StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        var rest = url[prefix.Length..];
        var query = rest.IndexOf('?', StringComparison.Ordinal);
        var path = query >= 0 ? rest[..query] : rest;
        return path.Length == 0 || path.StartsWith(":memory:", StringComparison.Ordinal) ? null : Path.GetFullPath(path);
    }

    /// <summary>The URL with any password hidden, for output.</summary>
    public static string Display(string url) => EventStore.RedactUrl(url);
}
