using StackExchange.Redis;

namespace Eventuali.Messaging.Redis;

/// <summary>Opens Redis connections whose failures never show a password.</summary>
public static class RedisConnect
{
    /// <summary>
    /// Connects to <paramref name="url"/> (<c>redis://user:password@host:port</c>) and checks the server answers. A refused
    /// login or an unreachable server throws <see cref="InvalidOperationException"/> naming the server and user without
    /// any secret. Once connected, the connection reconnects by itself; commands fail at once while it is down.
    /// </summary>
    public static async ValueTask<ConnectionMultiplexer> ConnectAsync(string url, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(url);
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Scheme is not ("redis" or "rediss"))
        {
            throw new ArgumentException("The Redis URL must look like redis://user:password@host:port.", nameof(url));
        }

        var port = uri.IsDefaultPort || uri.Port < 0 ? 6379 : uri.Port;
        var where = $"{uri.Scheme}://{uri.Host}:{port}";
        string? user = null, password = null;
        if (uri.UserInfo.Length > 0)
        {
            var parts = uri.UserInfo.Split(':', 2);
            user = parts[0].Length > 0 ? Uri.UnescapeDataString(parts[0]) : null;
            password = parts.Length > 1 ? Uri.UnescapeDataString(parts[1]) : null;
        }

        var options = new ConfigurationOptions
        {
            EndPoints = { { uri.Host, port } },
            User = user,
            Password = password,
            Ssl = uri.Scheme == "rediss",
            ClientName = "eventuali",
            AbortOnConnectFail = true,
            ConnectTimeout = 5000,
            AsyncTimeout = 5000,
            SyncTimeout = 5000,
            ConnectRetry = 1,

            // A command given while the server is down fails at once instead of waiting in a backlog that could run it
            // later, after the relay has already published the batch again.
            BacklogPolicy = BacklogPolicy.FailFast,
        };
        try
        {
            return await ConnectionMultiplexer.ConnectAsync(options).WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            var text = ex.ToString();
            var reason = text.Contains("AUTH", StringComparison.OrdinalIgnoreCase) || text.Contains("WRONGPASS", StringComparison.OrdinalIgnoreCase) || text.Contains("Authentication", StringComparison.OrdinalIgnoreCase)
                ? $"the server refused the login of user '{user ?? "default"}' (wrong user or password)"
                : "the server could not be reached";
            throw new InvalidOperationException($"Cannot connect to Redis at {where}: {reason}.");
        }
    }
}
