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
    public static string Display(string url)
    {
        var at = url.IndexOf('@', StringComparison.Ordinal);
        var start = url.IndexOf("://", StringComparison.Ordinal);
        if (at < 0 || start < 0 || at < start)
        {
            return url;
        }

        var colon = url.IndexOf(':', start + 3);
        return colon > 0 && colon < at ? string.Concat(url.AsSpan(0, colon + 1), "***", url.AsSpan(at)) : url;
    }
}
