using System.Net.Sockets;
using Npgsql;

namespace Eventuali.PostgreSql;

/// <summary>Turns Npgsql and server errors into Eventuali's exceptions. Messages never hold the password.</summary>
internal static class PgErrors
{
    /// <summary>Awaits <paramref name="work"/>, turning a PostgreSQL error into the store's typed error where <see cref="Map"/> knows one.</summary>
    public static async Task<T> MappedAsync<T>(Task<T> work, PgSettings settings)
    {
        try
        {
            return await work.ConfigureAwait(false);
        }
        catch (NpgsqlException ex) when (Map(ex, settings) is { } mapped)
        {
            throw mapped;
        }
    }

    /// <summary>As <see cref="MappedAsync{T}(Task{T}, PgSettings)"/> for work without a result.</summary>
    public static async Task MappedAsync(Task work, PgSettings settings)
    {
        try
        {
            await work.ConfigureAwait(false);
        }
        catch (NpgsqlException ex) when (Map(ex, settings) is { } mapped)
        {
            throw mapped;
        }
    }

    /// <summary>
    /// Runs <paramref name="setUp"/> on a just-made <paramref name="opened"/> (a tenant factory that holds pools) and
    /// returns it; when the set-up fails, disposes it first, so that a failed open leaves no pool behind, and throws the
    /// mapped error where <see cref="Map"/> knows one, else the original.
    /// </summary>
    public static async Task<T> OpenedOrDisposedAsync<T>(T opened, PgSettings settings, Func<T, Task> setUp)
        where T : IAsyncDisposable
    {
        ArgumentNullException.ThrowIfNull(opened);
        ArgumentNullException.ThrowIfNull(setUp);
        try
        {
            await setUp(opened).ConfigureAwait(false);
            return opened;
        }
        catch (Exception ex)
        {
            await opened.DisposeAsync().ConfigureAwait(false);
            if (Map(ex, settings) is { } mapped)
            {
                throw mapped;
            }

            throw;
        }
    }

    /// <summary>
    /// The Eventuali exception for <paramref name="ex"/>, or null when it is not a connection or configuration error.
    /// The original stays as the inner exception for diagnosis: Npgsql's messages do not carry the password.
    /// </summary>
    public static Exception? Map(Exception ex, PgSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var where = settings.Endpoint;
        switch (ex)
        {
            case PostgresException pg:
                return pg.SqlState switch
                {
                    "28P01" or "28000" => new EventStoreUnavailableException(
                        $"PostgreSQL at {where} refused the login of user '{settings.User}' (authentication failed; check the user name and password).", pg),
                    "3D000" => new EventStoreConfigurationException(
                        $"Database '{settings.Database}' does not exist on PostgreSQL at {where}; create it or fix the database name in the URL.", pg),
                    "42501" => new EventStoreConfigurationException(
                        $"PostgreSQL at {where} denied user '{settings.User}' access for schema '{settings.Schema}': {pg.MessageText}.", pg),
                    // Shutdown, crash, terminated backend, starting up, too many connections: a later try may succeed.
                    "57P03" or "53300" or "57P01" or "57P02" => new EventStoreUnavailableException(
                        $"PostgreSQL at {where} cannot serve the connection now: {pg.MessageText}.", isTransient: true, pg),
                    _ when pg.SqlState.StartsWith("08", StringComparison.Ordinal) => new EventStoreUnavailableException(
                        $"PostgreSQL at {where} lost the connection: {pg.MessageText}.", isTransient: true, pg),
                    _ => null,
                };
            // Multi-host URLs: every host down or of the wrong kind (during a failover no server is primary for a few seconds).
            case NpgsqlException npg when npg is not PostgresException && npg.Message.StartsWith("No suitable host", StringComparison.Ordinal):
                return new EventStoreUnavailableException(
                    $"No server of {where} (database '{settings.Database}') is available as '{settings.Builder.TargetSessionAttributes ?? "any"}' now: {npg.Message}", isTransient: true, npg);
            case NpgsqlException npg when npg.InnerException is SocketException or TimeoutException or IOException or AggregateException || npg.IsTransient:
                return new EventStoreUnavailableException(
                    $"Cannot reach PostgreSQL at {where} (database '{settings.Database}'): {Innermost(npg).Message}", isTransient: true, npg);
            case SocketException or TimeoutException:
                return new EventStoreUnavailableException($"Cannot reach PostgreSQL at {where}: {ex.Message}", isTransient: true, ex);
            default:
                return null;
        }
    }

    /// <summary>
    /// For an error after an append was sent: <see cref="AppendOutcomeUnknownException"/> when the connection broke
    /// (the server may have committed before it went away), else null (a statement error: rolled back, outcome known).
    /// </summary>
    public static AppendOutcomeUnknownException? OutcomeUnknown(NpgsqlException ex, NpgsqlConnection connection, PgSettings settings, string streamId, int appends)
    {
        ArgumentNullException.ThrowIfNull(connection);
        ArgumentNullException.ThrowIfNull(settings);
        // 57P*: the server ended the session (admin shutdown, crash, pg_terminate_backend); 08*: connection exceptions.
        var broken = ex is not PostgresException pg
            || pg.SqlState.StartsWith("57P", StringComparison.Ordinal) || pg.SqlState.StartsWith("08", StringComparison.Ordinal)
            || connection.FullState.HasFlag(System.Data.ConnectionState.Broken) || connection.State == System.Data.ConnectionState.Closed;
        if (!broken)
        {
            return null;
        }

        var what = appends == 1 ? $"an append to stream '{streamId}'" : $"{appends} appends (stream '{streamId}' among them)";
        return new AppendOutcomeUnknownException(
            $"The connection to PostgreSQL at {settings.Endpoint} (database '{settings.Database}') broke while committing {what}: " +
            $"it may or may not be stored. Retrying with the same event ids is safe: a stored append is answered with its original result and not written twice. ({Innermost(ex).Message})",
            ex);
    }

    private static Exception Innermost(Exception ex)
    {
        while (ex.InnerException is not null)
        {
            ex = ex.InnerException;
        }

        return ex;
    }
}
