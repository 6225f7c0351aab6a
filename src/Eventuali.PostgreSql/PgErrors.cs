using System.Net.Sockets;
using Npgsql;

namespace Eventuali.PostgreSql;

/// <summary>Turns Npgsql and server errors into Eventuali's exceptions. Messages never hold the password.</summary>
internal static class PgErrors
{
    /// <summary>
    /// The Eventuali exception for <paramref name="ex"/>, or null when it is not a connection or configuration error.
    /// The original stays as the inner exception for diagnosis: Npgsql's messages do not carry the password.
    /// </summary>
    public static Exception? Map(Exception ex, PgSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var where = $"{settings.Host}:{settings.Port}";
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
            case NpgsqlException npg when npg.InnerException is SocketException or TimeoutException or IOException || npg.IsTransient:
                return new EventStoreUnavailableException(
                    $"Cannot reach PostgreSQL at {where} (database '{settings.Database}'): {Innermost(npg).Message}", isTransient: true, npg);
            case SocketException or TimeoutException:
                return new EventStoreUnavailableException($"Cannot reach PostgreSQL at {where}: {ex.Message}", isTransient: true, ex);
            default:
                return null;
        }
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
