using System.Globalization;
using Eventuali.Redis;
using StackExchange.Redis;

namespace Eventuali.Caching.Redis;

/// <summary>
/// An <see cref="IAggregateCache"/> in Redis, shared by every node of an application: one hash per stream holding the
/// newest state written. Every call is bounded by <see cref="RedisAggregateCacheOptions.OperationTimeout"/> and passes a
/// circuit breaker, so while Redis is down a load costs at most a timeout (then nothing) and reads the store directly;
/// failures are counted in <see cref="Statistics"/>, never thrown. Loads check every entry against the stream, so a
/// lost, old or foreign entry is a miss, never a wrong state.
/// </summary>
public sealed class RedisAggregateCache : IAggregateCache, IAsyncDisposable
{
    // Keeps the higher version: a slow writer of an older state never replaces a newer one (a load removes entries it found invalid).
    private const string SetScript = """
        local cur = redis.call('HGET', KEYS[1], 'v')
        if cur and tonumber(cur) > tonumber(ARGV[1]) then return 0 end
        redis.call('HSET', KEYS[1], 'v', ARGV[1], 'p', ARGV[2], 't', ARGV[3], 's', ARGV[4], 'c', ARGV[5], 'd', ARGV[6])
        if tonumber(ARGV[7]) > 0 then redis.call('PEXPIRE', KEYS[1], ARGV[7]) end
        return 1
        """;

    private static readonly RedisValue[] Fields = ["v", "p", "t", "s", "c", "d"];

    private readonly IConnectionMultiplexer _connection;
    private readonly bool _ownsConnection;
    private readonly RedisAggregateCacheOptions _options;
    private readonly CircuitBreaker _breaker;

    /// <summary>A cache on a connection the caller opened and disposes.</summary>
    public RedisAggregateCache(IConnectionMultiplexer connection, RedisAggregateCacheOptions? options = null)
        : this(connection, options, ownsConnection: false)
    {
    }

    private RedisAggregateCache(IConnectionMultiplexer connection, RedisAggregateCacheOptions? options, bool ownsConnection)
    {
        ArgumentNullException.ThrowIfNull(connection);
        _connection = connection;
        _ownsConnection = ownsConnection;
        _options = options ?? new RedisAggregateCacheOptions();
        _breaker = new CircuitBreaker(_options.FailuresToOpen, _options.BreakDuration, _options.TimeProvider);
    }

    /// <inheritdoc />
    public AggregateCacheStatistics Statistics { get; } = new();

    /// <summary>Whether the circuit is open: calls are refused (as misses) without asking Redis.</summary>
    public bool IsCircuitOpen => _breaker.IsOpen;

    /// <summary>
    /// Connects to <paramref name="url"/> (<c>redis://user:password@host:port</c>, or <c>rediss://</c> for TLS). Throws
    /// <see cref="InvalidOperationException"/> naming the server and user, never the password, when the server cannot
    /// be reached or refuses the login now; once connected, the connection reconnects by itself after an outage.
    /// </summary>
    public static async ValueTask<RedisAggregateCache> ConnectAsync(string url, RedisAggregateCacheOptions? options = null, CancellationToken cancellationToken = default)
    {
        options ??= new RedisAggregateCacheOptions();
        var (config, where, user) = RedisUrl.Parse(url, "The Redis aggregate cache URL", "eventuali-cache", options.OperationTimeout);
        ConnectionMultiplexer? connection = null;
        try
        {
            connection = await ConnectionMultiplexer.ConnectAsync(config).WaitAsync(cancellationToken).ConfigureAwait(false);
            await connection.GetDatabase().PingAsync().WaitAsync(TimeSpan.FromSeconds(5), cancellationToken).ConfigureAwait(false);
            return new RedisAggregateCache(connection, options, ownsConnection: true);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            if (connection is not null)
            {
                await connection.DisposeAsync().ConfigureAwait(false);
            }

            throw new InvalidOperationException($"Cannot connect to the Redis aggregate cache at {where}: {RedisUrl.Reason(ex, user)}.");
        }
    }

    /// <inheritdoc />
    public async ValueTask<CachedAggregate?> GetAsync(string streamId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(streamId);
        var values = await CallAsync("get", db => db.HashGetAsync(Key(streamId), Fields), cancellationToken).ConfigureAwait(false);
        if (values is null || values.Length != Fields.Length || values.Any(v => v.IsNull))
        {
            return null;
        }

        // Unreadable fields are a miss: the load never trusts what it cannot parse.
        if (!long.TryParse(values[0].ToString(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var version)
            || !long.TryParse(values[1].ToString(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var position)
            || !int.TryParse(values[3].ToString(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var schema)
            || !long.TryParse(values[4].ToString(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var checksum))
        {
            return null;
        }

        return new CachedAggregate(streamId, version, position, values[2].ToString(), schema, checksum, (byte[])values[5]!);
    }

    /// <inheritdoc />
    public async ValueTask SetAsync(CachedAggregate entry, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(entry);
        var expiry = _options.Expiry is { } e ? (long)e.TotalMilliseconds : 0;
        RedisValue[] args =
        [
            entry.Version, entry.Position, entry.AggregateType, entry.SchemaVersion, entry.Checksum, entry.State.ToArray(), expiry,
        ];
        await CallAsync("set", db => db.ScriptEvaluateAsync(SetScript, [Key(entry.StreamId)], args), cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async ValueTask RemoveAsync(string streamId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(streamId);
        await CallAsync("remove", db => db.KeyDeleteAsync(Key(streamId)), cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        if (_ownsConnection)
        {
            await _connection.DisposeAsync().ConfigureAwait(false);
        }
    }

    private RedisKey Key(string streamId) => _options.KeyPrefix + streamId;

    /// <summary>Runs one call through the breaker and the timeout; a failure is counted and answers default.</summary>
    private async ValueTask<T?> CallAsync<T>(string operation, Func<IDatabase, Task<T>> call, CancellationToken ct)
    {
        if (!_breaker.TryEnter())
        {
            Statistics.RecordError(operation);
            return default;
        }

        try
        {
            var result = await call(_connection.GetDatabase()).WaitAsync(_options.OperationTimeout, ct).ConfigureAwait(false);
            _breaker.Succeeded();
            return result;
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException or ObjectDisposedException || (ex is OperationCanceledException && !ct.IsCancellationRequested))
        {
            _breaker.Failed();
            Statistics.RecordError(operation);
            return default;
        }
        catch (OperationCanceledException)
        {
            // The caller gave up: not the server's fault; let a later call try again.
            _breaker.Succeeded();
            throw;
        }
    }
}
