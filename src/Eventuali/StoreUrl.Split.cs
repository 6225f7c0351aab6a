namespace Eventuali;

internal static partial class StoreUrl
{
    /// <summary>The lower-case scheme ("memory", "sqlite", "postgresql") and what follows "://"; throws for anything else.</summary>
    public static (string Scheme, string Remainder) Split(string url)
    {
        if (string.IsNullOrWhiteSpace(url))
        {
            throw new EventStoreConfigurationException("The store URL is empty; expected e.g. sqlite://events.db, memory:// or postgresql://user@host/db.");
        }

        var separator = url.IndexOf("://", StringComparison.Ordinal);
        if (separator < 0 && IsKeywordConnectionString(url))
        {
            return ("postgresql", url);
        }

        if (separator <= 0)
        {
            throw new EventStoreConfigurationException($"The store URL '{Redact(url)}' has no scheme; expected sqlite://, memory:// or postgresql://.");
        }

        var scheme = url[..separator].ToLowerInvariant();
        var rest = url[(separator + 3)..];
        return scheme switch
        {
            "memory" when rest.Length > 0 => throw new EventStoreConfigurationException($"The memory:// URL takes nothing after the scheme; got '{rest}'."),
            "memory" or "sqlite" => (scheme, rest),
            "postgresql" or "postgres" => ("postgresql", url),
            _ => throw new EventStoreConfigurationException($"Unknown store URL scheme '{scheme}' in '{Redact(url)}'; expected sqlite, memory or postgresql."),
        };
    }
}
