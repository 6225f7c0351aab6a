using StackExchange.Redis;

namespace Eventuali.Caching.Redis;

/// <summary>Turns <c>redis://user:password@host:port</c> into connection options, and failures into text without secrets.</summary>
internal static class RedisUrl
{
    public static (ConfigurationOptions Options, string Where, string? User) Parse(string url, TimeSpan operationTimeout)
    {
        ArgumentException.ThrowIfNullOrEmpty(url);
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Scheme is not ("redis" or "rediss") || uri.Host.Length == 0)
        {
            throw new ArgumentException("The Redis aggregate cache URL must look like redis://user:password@host:port (or rediss:// for TLS).", nameof(url));
        }

        var port = uri.IsDefaultPort || uri.Port < 0 ? 6379 : uri.Port;
        string? user = null, password = null;
        if (uri.UserInfo.Length > 0)
        {
            var parts = uri.UserInfo.Split(':', 2);
            user = parts[0].Length > 0 ? Uri.UnescapeDataString(parts[0]) : null;
            password = parts.Length > 1 ? Uri.UnescapeDataString(parts[1]) : null;
        }

        var timeout = (int)Math.Clamp(operationTimeout.TotalMilliseconds, 1, int.MaxValue);
        var options = new ConfigurationOptions
        {
            EndPoints = { { uri.Host, port } },
            User = user,
            Password = password,
            Ssl = uri.Scheme == "rediss",
            ClientName = "eventuali-cache",
            AbortOnConnectFail = true,
            ConnectTimeout = 5000,
            ConnectRetry = 1,
            AsyncTimeout = timeout,
            SyncTimeout = timeout,

            // While the server is down a command fails at once instead of waiting in a backlog: the load reads directly.
            BacklogPolicy = BacklogPolicy.FailFast,
        };
        return (options, $"{uri.Scheme}://{uri.Host}:{port}", user);
    }

    public static string Reason(Exception ex)
    {
        var text = ex.ToString();
        return text.Contains("AUTH", StringComparison.OrdinalIgnoreCase) || text.Contains("WRONGPASS", StringComparison.OrdinalIgnoreCase) || text.Contains("Authentication", StringComparison.OrdinalIgnoreCase)
            ? "the server refused the login (wrong user or password)"
            : "the server could not be reached";
    }
}
