using Eventuali.Redis;
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
        var (options, where, user) = RedisUrl.Parse(url, "The Redis URL", "eventuali", TimeSpan.FromSeconds(5));
        try
        {
            return await ConnectionMultiplexer.ConnectAsync(options).WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            throw new InvalidOperationException($"Cannot connect to Redis at {where}: {RedisUrl.Reason(ex, user)}.");
        }
    }
}
