using Eventuali.Migrations;

namespace Eventuali;

internal static partial class StoreUrl
{
    /// <summary>
    /// Opens the store at <paramref name="url"/> only when it already exists, so a mistyped path or schema is reported
    /// rather than created as a new, empty store. memory:// and sqlite://:memory: always start empty and open as usual.
    /// </summary>
    public static async ValueTask<IEventStore> OpenExistingAsync(string url, EventStoreOptions options, CancellationToken cancellationToken)
    {
        var (scheme, rest) = Split(url);
        if (scheme == "memory" || (scheme == "sqlite" && IsSqliteMemory(rest)))
        {
            return await OpenAsync(url, options, cancellationToken).ConfigureAwait(false);
        }

        if (await TryOpenTenantAsync(url, options, create: false, cancellationToken).ConfigureAwait(false) is { } tenantStore)
        {
            return tenantStore;
        }

        // The migrator reads the schema without creating anything (no file, no tables), the check opening would skip.
        var migrator = await SchemaMigrator.ForUrlAsync(url, options, cancellationToken).ConfigureAwait(false);
        await using (migrator.ConfigureAwait(false))
        {
            var status = await migrator.StatusAsync(cancellationToken).ConfigureAwait(false);
            if (!status.StoreExists)
            {
                throw new EventStoreConfigurationException(NoSuchStore(scheme, status.Store));
            }
        }

        return await OpenAsync(url, options, cancellationToken).ConfigureAwait(false);
    }

    private static string NoSuchStore(string scheme, string store) => scheme == "sqlite"
        ? $"No such store: the {store} does not exist or holds no Eventuali store. Check the path; 'eventuali init' creates a store."
        : $"No such store: the {store} has no Eventuali store tables. Check the database and schema; 'eventuali init' creates a store.";

    private static bool IsSqliteMemory(string pathAndQuery)
    {
        var question = pathAndQuery.IndexOf('?', StringComparison.Ordinal);
        return (question < 0 ? pathAndQuery : pathAndQuery[..question]) == ":memory:";
    }
}
