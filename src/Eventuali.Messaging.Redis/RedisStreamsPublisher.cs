using System.Globalization;
using StackExchange.Redis;

namespace Eventuali.Messaging.Redis;

/// <summary>
/// Publishes to Redis Streams: one stream key per topic (the category by default), one <c>XADD</c> per event with the
/// event id, the ordering key, the body and the headers as fields, trimmed to about <see cref="RedisStreamsOptions.MaxLength"/>
/// entries. A batch is confirmed when every <c>XADD</c> was answered: the entry is then in Redis (and in its append-only
/// file when that is on). Redis keeps no message-id dedup: a batch published again after a failure adds its entries
/// again, and consumers drop them by message id through their inbox.
/// </summary>
public sealed class RedisStreamsPublisher : IMessagePublisher
{
    private readonly IConnectionMultiplexer _connection;
    private readonly RedisStreamsOptions _options;
    private readonly bool _ownsConnection;

    /// <summary>A publisher on <paramref name="connection"/>; disposing it closes the connection when <paramref name="ownsConnection"/>.</summary>
    public RedisStreamsPublisher(IConnectionMultiplexer connection, RedisStreamsOptions? options = null, bool ownsConnection = false)
    {
        ArgumentNullException.ThrowIfNull(connection);
        _options = options ?? new RedisStreamsOptions();
        _options.Validate();
        _connection = connection;
        _ownsConnection = ownsConnection;
    }

    /// <inheritdoc />
    public string Broker => "redis";

    /// <inheritdoc />
    public async ValueTask PublishAsync(IReadOnlyList<OutboundMessage> messages, CancellationToken cancellationToken = default)
        => await (await SendAsync(messages, cancellationToken).ConfigureAwait(false)).ConfigureAwait(false);

    /// <inheritdoc />
    public ValueTask<Task> SendAsync(IReadOnlyList<OutboundMessage> messages, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(messages);
        foreach (var m in messages)
        {
            if (m.Body.Length > _options.MaxMessageBytes)
            {
                throw new InvalidOperationException(string.Create(CultureInfo.InvariantCulture,
                    $"Message {m.MessageId} of stream '{m.Key}' is {m.Body.Length} bytes, over the {_options.MaxMessageBytes}-byte limit for Redis stream '{_options.StreamKey(m.Topic)}'; it was not published."));
            }
        }

        // Sent back to back on the one connection, which Redis runs in order; the returned task awaits every answer
        // while the next batch is sent.
        var db = _connection.GetDatabase();
        var adds = new Task<RedisValue>[messages.Count];
        for (var i = 0; i < adds.Length; i++)
        {
            var m = messages[i];
            adds[i] = db.StreamAddAsync(_options.StreamKey(m.Topic), Fields(m), maxLength: _options.MaxLength, useApproximateMaxLength: true);
        }

        return ValueTask.FromResult(ConfirmAsync(adds, cancellationToken));
    }

    private static async Task ConfirmAsync(Task<RedisValue>[] adds, CancellationToken cancellationToken)
    {
        Exception? failed = null;
        foreach (var add in adds)
        {
            try
            {
                await add.WaitAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is not OutOfMemoryException and not OperationCanceledException)
            {
                failed ??= ex;
            }
        }

        if (failed is not null)
        {
            throw new InvalidOperationException($"Redis did not confirm every message of the batch of {adds.Length}: {failed.Message}", failed);
        }
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        if (_ownsConnection)
        {
            await _connection.DisposeAsync().ConfigureAwait(false);
        }
    }

    private static NameValueEntry[] Fields(OutboundMessage m)
    {
        var fields = new NameValueEntry[3 + m.Headers.Count];
        fields[0] = new NameValueEntry(RedisStreamFields.MessageId, m.MessageId);
        fields[1] = new NameValueEntry(RedisStreamFields.Key, m.Key);
        fields[2] = new NameValueEntry(RedisStreamFields.Body, m.Body);
        var i = 3;
        foreach (var (name, value) in m.Headers)
        {
            fields[i++] = new NameValueEntry(RedisStreamFields.HeaderPrefix + name, value);
        }

        return fields;
    }
}
