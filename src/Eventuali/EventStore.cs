namespace Eventuali;

/// <summary>Opens any built-in backend from a URL.</summary>
public static class EventStore
{
    /// <summary>
    /// Opens (and creates when missing) the store at <paramref name="url"/>:
    /// <c>sqlite://path/to/file.db</c>, <c>sqlite://:memory:</c>, <c>memory://</c>,
    /// <c>postgresql://user:pass@host:port/db?schema=name</c>.
    /// </summary>
    public static ValueTask<IEventStore> CreateAsync(string url, EventStoreOptions? options = null, CancellationToken cancellationToken = default)
        => StoreUrl.OpenAsync(url, options ?? EventStoreOptions.Default, cancellationToken);

    /// <summary>The URL with any password replaced by <c>***</c>, safe to log or print.</summary>
    public static string RedactUrl(string url)
    {
        ArgumentNullException.ThrowIfNull(url);
        return StoreUrl.Redact(url);
    }
}
