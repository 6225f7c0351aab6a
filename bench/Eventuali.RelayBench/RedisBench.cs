using Eventuali.Messaging;
using Eventuali.Messaging.Redis;
using StackExchange.Redis;

namespace Eventuali.RelayBench;

/// <summary>Redis Streams: keys under a prefix per run; the raw loop is XADD (approximate MAXLEN) with the same fields.</summary>
internal sealed class RedisBench(ConnectionMultiplexer connection) : IBrokerBench
{
    private RedisStreamsOptions _options = new();

    public string Name => "redis";

    public static async ValueTask<IBrokerBench> ConnectAsync(string url, CancellationToken ct)
        => new RedisBench(await RedisConnect.ConnectAsync(url, ct).ConfigureAwait(false));

    public ValueTask PrepareAsync(string tag, CancellationToken ct)
    {
        // The consumer polls when it finds nothing new (Redis Streams' blocking read does not fit a multiplexed
        // connection): 5 ms here instead of the default 50 ms bounds what the poll adds to the latency. XACK waits for
        // Redis's reply, so the consumer keeps up to 256 acknowledgements in flight instead of one round trip per message.
        _options = new RedisStreamsOptions { KeyPrefix = "rb" + tag + ":", PollInterval = TimeSpan.FromMilliseconds(5) };
        return ValueTask.CompletedTask;
    }

    public ValueTask<IMessagePublisher> RelayPublisherAsync(CancellationToken ct)
        => ValueTask.FromResult<IMessagePublisher>(new RedisStreamsPublisher(connection, _options));

    public async ValueTask RawPublishAsync(IReadOnlyList<OutboundMessage> messages, int batchSize, int window, CancellationToken ct)
    {
        var db = connection.GetDatabase();
        await RawWindow.RunAsync(messages.Count, batchSize, window, (start, n) =>
        {
            var adds = new Task<RedisValue>[n];
            for (var i = 0; i < n; i++)
            {
                var m = messages[start + i];
                var fields = new NameValueEntry[3 + m.Headers.Count];
                fields[0] = new NameValueEntry(RedisStreamFields.MessageId, m.MessageId);
                fields[1] = new NameValueEntry(RedisStreamFields.Key, m.Key);
                fields[2] = new NameValueEntry(RedisStreamFields.Body, m.Body);
                var f = 3;
                foreach (var (name, value) in m.Headers)
                {
                    fields[f++] = new NameValueEntry(RedisStreamFields.HeaderPrefix + name, value);
                }

                adds[i] = db.StreamAddAsync(_options.KeyPrefix + m.Topic, fields, maxLength: _options.MaxLength, useApproximateMaxLength: true);
            }

            return Task.WhenAll(adds).WaitAsync(ct);
        }).ConfigureAwait(false);
    }

    public Task ConsumeAsync(string topic, Action<InboundMessage> handler, CancellationToken ct)
        => Consumer.RunAsync(new RedisStreamsSource(connection, "bench", "bench-1", topic, _options), handler, ct, ackWindow: 256);

    public async ValueTask CleanupAsync(CancellationToken ct)
    {
        RedisKey[] keys = [.. Workload.Categories.Append(Workload.LatencyTopic).Append("dead:bench").Select(k => (RedisKey)(_options.KeyPrefix + k))];
        await connection.GetDatabase().KeyDeleteAsync(keys).WaitAsync(ct).ConfigureAwait(false);
    }

    public ValueTask DisposeAsync() => connection.DisposeAsync();
}
