using RabbitMQ.Client;
using RabbitMQ.Client.Exceptions;

namespace Eventuali.Messaging.RabbitMq;

/// <summary>Opens RabbitMQ connections whose failures never show a password.</summary>
public static class RabbitMqConnect
{
    /// <summary>
    /// Connects to <paramref name="url"/> (<c>amqp://user:password@host:port/vhost</c>) with automatic recovery on (the
    /// connection, its channels and consumers come back after the broker restarts). A refused login or an unreachable
    /// broker throws <see cref="InvalidOperationException"/> naming the broker and user without any secret.
    /// </summary>
    public static async ValueTask<IConnection> ConnectAsync(string url, string clientName = "eventuali", CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(url);
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Scheme is not ("amqp" or "amqps"))
        {
            throw new ArgumentException("The RabbitMQ URL must look like amqp://user:password@host:port/vhost.", nameof(url));
        }

        var port = uri.IsDefaultPort || uri.Port < 0 ? (uri.Scheme == "amqps" ? 5671 : 5672) : uri.Port;
        var where = $"{uri.Scheme}://{uri.Host}:{port}";
        var user = uri.UserInfo.Length > 0 ? Uri.UnescapeDataString(uri.UserInfo.Split(':', 2)[0]) : "guest";
        var factory = new ConnectionFactory
        {
            Uri = uri,
            ClientProvidedName = clientName,
            AutomaticRecoveryEnabled = true,
            TopologyRecoveryEnabled = true,
            NetworkRecoveryInterval = TimeSpan.FromSeconds(1),
            RequestedConnectionTimeout = TimeSpan.FromSeconds(5),
            ContinuationTimeout = TimeSpan.FromSeconds(10),
        };
        try
        {
            return await factory.CreateConnectionAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            var refused = ex is AuthenticationFailureException || ex.InnerException is AuthenticationFailureException
                || ex.ToString().Contains("ACCESS_REFUSED", StringComparison.Ordinal);
            var reason = refused ? $"the broker refused the login of user '{user}' (wrong user or password)" : "the broker could not be reached";
            throw new InvalidOperationException($"Cannot connect to RabbitMQ at {where}: {reason}.");
        }
    }
}
