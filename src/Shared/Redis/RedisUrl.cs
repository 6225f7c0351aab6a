using StackExchange.Redis;

namespace Eventuali.Redis;

/// <summary>
/// Turns <c>redis://user:password@host:port</c> into connection options, and a failed connect into a reason without
/// secrets. One source file linked into every package that talks to Redis, so they cannot drift apart on how the
/// password is kept out of messages; neither package depends on the other.
/// </summary>
internal static class RedisUrl
{
    /// <param name="url">The URL; <c>rediss://</c> turns TLS on.</param>
    /// <param name="what">What the URL is for, for the error on a malformed one ("The Redis URL").</param>
    /// <param name="clientName">The client name the server shows in CLIENT LIST.</param>
    /// <param name="timeout">The timeout of each command.</param>
    public static (ConfigurationOptions Options, string Where, string? User) Parse(string url, string what, string clientName, TimeSpan timeout)
    {
        ArgumentException.ThrowIfNullOrEmpty(url);
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Scheme is not ("redis" or "rediss") || uri.Host.Length == 0)
        {
            throw new ArgumentException($"{what} must look like redis://user:password@host:port (or rediss:// for TLS).", nameof(url));
        }

        var port = uri.IsDefaultPort || uri.Port < 0 ? 6379 : uri.Port;
        string? user = null, password = null;
        if (uri.UserInfo.Length > 0)
        {
            var parts = uri.UserInfo.Split(':', 2);
            user = parts[0].Length > 0 ? Uri.UnescapeDataString(parts[0]) : null;
            password = parts.Length > 1 ? Uri.UnescapeDataString(parts[1]) : null;
        }

        var milliseconds = (int)Math.Clamp(timeout.TotalMilliseconds, 1, int.MaxValue);
        var options = new ConfigurationOptions
        {
            EndPoints = { { uri.Host, port } },
            User = user,
            Password = password,
            Ssl = uri.Scheme == "rediss",
            ClientName = clientName,
            AbortOnConnectFail = true,
            ConnectTimeout = 5000,
            ConnectRetry = 1,
            AsyncTimeout = milliseconds,
            SyncTimeout = milliseconds,

            // A command given while the server is down fails at once instead of waiting in a backlog that could run it
            // later: the relay would already have published the batch again, the cache would already have read the store.
            BacklogPolicy = BacklogPolicy.FailFast,
        };
        return (options, $"{uri.Scheme}://{uri.Host}:{port}", user);
    }

    /// <summary>Why a connect failed, naming the user and never the password.</summary>
    public static string Reason(Exception ex, string? user)
    {
        var text = ex.ToString();
        return text.Contains("AUTH", StringComparison.OrdinalIgnoreCase) || text.Contains("WRONGPASS", StringComparison.OrdinalIgnoreCase) || text.Contains("Authentication", StringComparison.OrdinalIgnoreCase)
            ? $"the server refused the login of user '{user ?? "default"}' (wrong user or password)"
            : "the server could not be reached";
    }
}
