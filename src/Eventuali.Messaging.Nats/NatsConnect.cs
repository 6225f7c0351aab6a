using NATS.Client.Core;

namespace Eventuali.Messaging.Nats;

/// <summary>Opens NATS connections whose failures never show a password or token.</summary>
public static class NatsConnect
{
    /// <summary>
    /// Connects to <paramref name="url"/> (user and password may be in it, or given apart) and checks the server answers.
    /// A refused login or an unreachable server throws <see cref="InvalidOperationException"/> naming the server without
    /// any secret.
    /// </summary>
    public static async ValueTask<NatsConnection> ConnectAsync(string url, string? user = null, string? password = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(url);
        var uri = new Uri(url);
        var where = $"{uri.Scheme}://{uri.Host}:{uri.Port}";
        if (uri.UserInfo.Length > 0)
        {
            var parts = uri.UserInfo.Split(':', 2);
            user ??= Uri.UnescapeDataString(parts[0]);
            password ??= parts.Length > 1 ? Uri.UnescapeDataString(parts[1]) : null;
        }

        var opts = NatsOpts.Default with
        {
            Url = where,
            Name = "eventuali",
            AuthOpts = user is null ? NatsAuthOpts.Default : NatsAuthOpts.Default with { Username = user, Password = password },
            MaxReconnectRetry = -1,
            // Generous, for a process just started on a loaded machine; a refused connection or login still fails at
            // once, only a host that does not answer waits this long.
            ConnectTimeout = TimeSpan.FromSeconds(20),
        };
        var connection = new NatsConnection(opts);
        try
        {
            await connection.ConnectAsync().AsTask().WaitAsync(cancellationToken).ConfigureAwait(false);
            return connection;
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            var reason = ex.ToString().Contains("Authorization", StringComparison.OrdinalIgnoreCase)
                ? $"the server refused the login of user '{user}' (wrong user or password)"
                : "the server could not be reached";
            throw new InvalidOperationException($"Cannot connect to NATS at {where}: {reason}.");
        }
    }
}
