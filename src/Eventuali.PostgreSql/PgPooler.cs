using System.Globalization;
using Npgsql;

namespace Eventuali.PostgreSql;

/// <summary>
/// Settings for a store behind a transaction-mode pooler (PgBouncer, <c>pooler=transaction</c>): each transaction may
/// run on another server session, so nothing may rely on session state through it. What needs a session of its own
/// (LISTEN, leases) goes to the server named by <c>direct=host:port</c>.
/// </summary>
internal static class PgPooler
{
    /// <summary>True for <c>transaction</c>; false when unset or <c>none</c>; anything else is refused naming the value.</summary>
    public static bool IsTransactionPooler(string? pooler, string? direct)
    {
        var pooled = pooler?.ToLowerInvariant() switch
        {
            null or "" or "none" => false,
            "transaction" => true,
            _ => throw new EventStoreConfigurationException(
                $"PostgreSQL setting '{PgSettings.PoolerKey}' must be 'transaction' (a PgBouncer in transaction mode) or 'none'; got '{pooler}'."),
        };
        if (!pooled && direct is not null)
        {
            throw new EventStoreConfigurationException(
                $"PostgreSQL setting '{PgSettings.DirectKey}' names the server behind a pooler; set '{PgSettings.PoolerKey}=transaction' as well, or leave it out.");
        }

        return pooled;
    }

    /// <summary>
    /// Connections through the pooler: no statement is prepared on the server (a later transaction may run on another
    /// session, which does not have it), no reset on close, no startup <c>options</c> (PgBouncer refuses them).
    /// </summary>
    public static void ApplyDefaults(NpgsqlConnectionStringBuilder builder, EventStoreOptions options)
    {
        if (!string.IsNullOrEmpty(builder.Options))
        {
            throw new EventStoreConfigurationException(
                "PostgreSQL setting 'options' cannot be used with 'pooler=transaction': PgBouncer refuses startup options; set server settings on the role or database (ALTER ROLE ... SET).");
        }

        // synchronous_commit is a session setting, which the pooler does not keep: the server's own setting applies.
        if (options.Durability == Durability.Relaxed)
        {
            throw new EventStoreConfigurationException(
                "Durability.Relaxed sets synchronous_commit on the store's sessions, which a transaction pooler does not keep: " +
                "use Durability.Full with 'pooler=transaction' and set synchronous_commit = off on the role or database instead.");
        }

        if (string.IsNullOrEmpty(builder.Host))
        {
            builder.Host = "localhost";
        }

        if (string.IsNullOrEmpty(builder.ApplicationName))
        {
            builder.ApplicationName = "eventuali";
        }

        if (builder.Host.Contains(',', StringComparison.Ordinal) && builder.HostRecheckSeconds == 10)
        {
            builder.HostRecheckSeconds = 2; // as for direct host lists (PgSettings.ApplyDefaults)
        }

        builder.MaxAutoPrepare = 0;
        builder.NoResetOnClose = true;
    }

    /// <summary>The pooled settings with the hosts replaced by <paramref name="direct"/> (host:port, or a list of them; port 5432 when left out).</summary>
    public static NpgsqlConnectionStringBuilder DirectBuilder(NpgsqlConnectionStringBuilder pooled, string direct)
    {
        var hosts = direct.Split(',', StringSplitOptions.TrimEntries);
        foreach (var host in hosts)
        {
            var colon = host.LastIndexOf(':');
            var name = colon >= 0 ? host[..colon] : host;
            if (name.Length == 0 || name.Contains('/', StringComparison.Ordinal)
                || (colon >= 0 && (!int.TryParse(host[(colon + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out var port) || port is < 1 or > 65535)))
            {
                throw new EventStoreConfigurationException(
                    $"PostgreSQL setting '{PgSettings.DirectKey}' must be host:port or a comma-separated list of them; got '{direct}'.");
            }
        }

        return new NpgsqlConnectionStringBuilder(pooled.ConnectionString)
        {
            Host = string.Join(',', hosts),
            Port = 5432,
        };
    }

    /// <summary>
    /// Behind a pooler the server's synchronous_commit applies (the store cannot set it per session): a server that
    /// acknowledges commits before flushing them would break <see cref="Durability.Full"/>, so it is refused.
    /// </summary>
    public static async Task EnsureStrictDurabilityAsync(NpgsqlDataSource dataSource, CancellationToken ct)
    {
        var command = dataSource.CreateCommand("SELECT current_setting('synchronous_commit')");
        await using (command.ConfigureAwait(false))
        {
            if (await command.ExecuteScalarAsync(ct).ConfigureAwait(false) is "off")
            {
                throw new EventStoreConfigurationException(
                    "The server behind the pooler runs with synchronous_commit = off, which a store with Durability.Full cannot override per session: set it to on for the role or database, or connect directly.");
            }
        }
    }
}
