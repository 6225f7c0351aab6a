namespace Eventuali.Sqlite;

/// <summary>Where a store lives, parsed from what follows <c>sqlite://</c>: a file path or <c>:memory:</c>, and an optional query.</summary>
internal sealed record SqliteLocation(string? FilePath, Durability Durability)
{
    public const string MemoryPath = ":memory:";

    public bool IsMemory => FilePath is null;

    /// <summary>For messages: the full file path, or :memory:.</summary>
    public string Display => FilePath ?? MemoryPath;

    public static SqliteLocation Parse(string pathAndQuery, Durability durability)
    {
        ArgumentNullException.ThrowIfNull(pathAndQuery);
        var question = pathAndQuery.IndexOf('?', StringComparison.Ordinal);
        var path = question < 0 ? pathAndQuery : pathAndQuery[..question];
        if (question >= 0)
        {
            durability = ParseQuery(pathAndQuery[(question + 1)..], durability);
        }

        if (path.Length == 0 || string.IsNullOrWhiteSpace(path))
        {
            throw new EventStoreConfigurationException("The sqlite:// URL has no file path; expected e.g. sqlite://events.db, sqlite:///abs/path/events.db or sqlite://:memory:.");
        }

        if (path == MemoryPath)
        {
            return new SqliteLocation(null, durability);
        }

        string full;
        try
        {
            full = Path.GetFullPath(path);
        }
        catch (Exception ex) when (ex is ArgumentException or NotSupportedException or PathTooLongException)
        {
            throw new EventStoreConfigurationException($"The SQLite path '{path}' is not a valid file path: {ex.Message}", ex);
        }

        if (Directory.Exists(full))
        {
            throw new EventStoreConfigurationException($"The SQLite path '{full}' is a directory; give a file path such as '{Path.Combine(full, "events.db")}'.");
        }

        var directory = Path.GetDirectoryName(full);
        if (directory is not null && !Directory.Exists(directory))
        {
            throw new EventStoreConfigurationException($"The directory '{directory}' of the SQLite file '{full}' does not exist; create it first.");
        }

        return new SqliteLocation(full, durability);
    }

    private static Durability ParseQuery(string query, Durability durability)
    {
        foreach (var pair in query.Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var equals = pair.IndexOf('=', StringComparison.Ordinal);
            var key = equals < 0 ? pair : pair[..equals];
            var value = equals < 0 ? string.Empty : pair[(equals + 1)..];
            if (key.Equals("tenancy", StringComparison.OrdinalIgnoreCase))
            {
                throw new EventStoreConfigurationException("A sqlite:// URL with ?tenancy=file names a directory of tenant stores; open one tenant's store (the CLI's --tenant ID) or the whole directory (EventStore.OpenTenantsAsync, 'eventuali tenants').");
            }

            if (!key.Equals("durability", StringComparison.OrdinalIgnoreCase))
            {
                throw new EventStoreConfigurationException($"Unknown option '{key}' in the sqlite:// URL query; the only option is durability=full|relaxed.");
            }

            durability = value.ToLowerInvariant() switch
            {
                "full" => Durability.Full,
                "relaxed" => Durability.Relaxed,
                _ => throw new EventStoreConfigurationException($"Unknown durability '{value}' in the sqlite:// URL; expected full or relaxed."),
            };
        }

        return durability;
    }
}
