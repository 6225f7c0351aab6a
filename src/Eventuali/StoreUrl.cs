using System.Text.RegularExpressions;
using Eventuali.InMemory;

namespace Eventuali;

/// <summary>Parses a store URL and hands it to its backend.</summary>
internal static partial class StoreUrl
{
    public static async ValueTask<IEventStore> OpenAsync(string url, EventStoreOptions options, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(url))
        {
            throw new EventStoreConfigurationException("The store URL is empty; expected e.g. sqlite://events.db, memory:// or postgresql://user@host/db.");
        }

        if (await TryOpenTenantAsync(url, options, create: true, cancellationToken).ConfigureAwait(false) is { } tenantStore)
        {
            return tenantStore;
        }

        var separator = url.IndexOf("://", StringComparison.Ordinal);
        if (separator < 0 && IsKeywordConnectionString(url))
        {
            // An Npgsql keyword connection string ("Host=...;Username=...").
            return await PostgreSql.PostgreSqlEventStore.OpenAsync(url, options, cancellationToken).ConfigureAwait(false);
        }

        if (separator <= 0)
        {
            throw new EventStoreConfigurationException($"The store URL '{Redact(url)}' has no scheme; expected sqlite://, memory:// or postgresql://.");
        }

        var scheme = url[..separator].ToLowerInvariant();
        var rest = url[(separator + 3)..];
        switch (scheme)
        {
            case "memory":
                if (rest.Length > 0)
                {
                    throw new EventStoreConfigurationException($"The memory:// URL takes nothing after the scheme; got '{rest}'.");
                }

                return new InMemoryEventStore(options);
            case "sqlite":
                return await Sqlite.SqliteEventStore.OpenAsync(rest, options, cancellationToken).ConfigureAwait(false);
            case "postgresql" or "postgres":
                return await PostgreSql.PostgreSqlEventStore.OpenAsync(url, options, cancellationToken).ConfigureAwait(false);
            default:
                throw new EventStoreConfigurationException($"Unknown store URL scheme '{scheme}' in '{Redact(url)}'; expected sqlite, memory or postgresql.");
        }
    }

    private static bool IsKeywordConnectionString(string value)
        => value.Contains('=', StringComparison.Ordinal)
           && (value.StartsWith("host=", StringComparison.OrdinalIgnoreCase) || value.Contains(";host=", StringComparison.OrdinalIgnoreCase)
               || value.StartsWith("server=", StringComparison.OrdinalIgnoreCase) || value.Contains(";server=", StringComparison.OrdinalIgnoreCase));

    /// <summary>Hides a password (user:password@host, or Password=... in a keyword string) before a URL goes into a message.</summary>
    internal static string Redact(string url)
    {
        if (!url.Contains("://", StringComparison.Ordinal))
        {
            return KeywordPassword().Replace(url, "$1=***");
        }

        var at = url.IndexOf('@', StringComparison.Ordinal);
        var start = url.IndexOf("://", StringComparison.Ordinal);
        if (at < 0 || start < 0 || at < start)
        {
            return url;
        }

        var colon = url.IndexOf(':', start + 3);
        return colon > 0 && colon < at ? string.Concat(url.AsSpan(0, colon + 1), "***", url.AsSpan(at)) : url;
    }

    [GeneratedRegex(@"(password|pwd)\s*=\s*[^;]*", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex KeywordPassword();
}
