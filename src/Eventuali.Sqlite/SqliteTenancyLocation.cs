using System.Globalization;
using Eventuali.Tenancy;

namespace Eventuali.Sqlite;

/// <summary>What follows <c>sqlite://</c> in a file-per-tenant URL: <c>DIR/?tenancy=file[&amp;durability=..][&amp;cache=N]</c>.</summary>
internal static class SqliteTenancyLocation
{
    /// <summary>Whether <paramref name="pathAndQuery"/> asks for a tenancy mode (so it names a directory, not a file).</summary>
    public static bool IsTenancy(string pathAndQuery)
    {
        var question = pathAndQuery.IndexOf('?', StringComparison.Ordinal);
        return question >= 0 && pathAndQuery[(question + 1)..].Split('&').Any(p => p.StartsWith("tenancy=", StringComparison.OrdinalIgnoreCase) || p.Equals("tenancy", StringComparison.OrdinalIgnoreCase));
    }

    public static (string Directory, Durability Durability, int Capacity) Parse(string pathAndQuery, Durability durability)
    {
        ArgumentNullException.ThrowIfNull(pathAndQuery);
        var question = pathAndQuery.IndexOf('?', StringComparison.Ordinal);
        var path = question < 0 ? pathAndQuery : pathAndQuery[..question];
        var capacity = TenantStoreCache.DefaultCapacity;
        var mode = (string?)null;
        foreach (var pair in (question < 0 ? string.Empty : pathAndQuery[(question + 1)..]).Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var equals = pair.IndexOf('=', StringComparison.Ordinal);
            var key = (equals < 0 ? pair : pair[..equals]).ToLowerInvariant();
            var value = equals < 0 ? string.Empty : pair[(equals + 1)..];
            switch (key)
            {
                case "tenancy":
                    mode = value.ToLowerInvariant();
                    break;
                case "durability":
                    durability = value.ToLowerInvariant() switch
                    {
                        "full" => Durability.Full,
                        "relaxed" => Durability.Relaxed,
                        _ => throw new EventStoreConfigurationException($"Unknown durability '{value}' in the sqlite:// URL; expected full or relaxed."),
                    };
                    break;
                case "cache":
                    if (!int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out capacity) || capacity < 1)
                    {
                        throw new EventStoreConfigurationException($"The cache option of the sqlite:// URL must be a whole number of open tenant stores, at least 1; got '{value}'.");
                    }

                    break;
                default:
                    throw new EventStoreConfigurationException($"Unknown option '{key}' in the sqlite:// tenancy URL; the options are tenancy=file, durability=full|relaxed and cache=N.");
            }
        }

        if (mode != "file")
        {
            throw new EventStoreConfigurationException($"Unknown tenancy mode '{mode}' for SQLite; the only SQLite mode is tenancy=file (a file per tenant under a directory).");
        }

        if (string.IsNullOrWhiteSpace(path))
        {
            throw new EventStoreConfigurationException("The sqlite:// tenancy URL has no directory; expected e.g. sqlite://tenants/?tenancy=file.");
        }

        string full;
        try
        {
            full = Path.GetFullPath(path);
        }
        catch (Exception ex) when (ex is ArgumentException or NotSupportedException or PathTooLongException)
        {
            throw new EventStoreConfigurationException($"The tenant directory '{path}' is not a valid path: {ex.Message}", ex);
        }

        if (File.Exists(full))
        {
            throw new EventStoreConfigurationException($"The tenant directory '{full}' is a file; ?tenancy=file needs a directory (one file per tenant goes inside it).");
        }

        return (full, durability, capacity);
    }
}
