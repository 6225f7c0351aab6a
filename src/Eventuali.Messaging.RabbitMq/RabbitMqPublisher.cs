using System.Globalization;
using RabbitMQ.Client;

namespace Eventuali.Messaging.RabbitMq;

/// <summary>
/// Publishes to a durable RabbitMQ topic exchange with publisher confirms: routing key = the topic (the category by
/// default), message id = event id, persistent delivery, the headers as AMQP headers. A batch is confirmed when the
/// broker acknowledged every message (persisted to disk for a durable queue). RabbitMQ keeps no message-id dedup: a
/// batch published again adds its messages again, and consumers drop them by message id through their inbox. Messages
/// go out on <see cref="RabbitMqOptions.PublishChannels"/> channels, a stream's always on the same one (its order kept).
/// </summary>
public sealed class RabbitMqPublisher : IMessagePublisher
{
    private readonly IConnection _connection;
    private readonly RabbitMqOptions _options;
    private readonly bool _ownsConnection;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly IChannel?[] _channels;

    /// <summary>A publisher on <paramref name="connection"/>; disposing it closes the connection when <paramref name="ownsConnection"/>.</summary>
    public RabbitMqPublisher(IConnection connection, RabbitMqOptions? options = null, bool ownsConnection = false)
    {
        ArgumentNullException.ThrowIfNull(connection);
        _connection = connection;
        _options = options ?? new RabbitMqOptions();
        if (_options.PublishChannels is < 1 or > 64)
        {
            throw new ArgumentOutOfRangeException(nameof(options), _options.PublishChannels, "RabbitMqOptions.PublishChannels must be from 1 to 64.");
        }

        _channels = new IChannel?[_options.PublishChannels];
        _ownsConnection = ownsConnection;
    }

    /// <inheritdoc />
    public string Broker => "rabbitmq";

    /// <inheritdoc />
    public async ValueTask PublishAsync(IReadOnlyList<OutboundMessage> messages, CancellationToken cancellationToken = default)
        => await (await SendAsync(messages, cancellationToken).ConfigureAwait(false)).ConfigureAwait(false);

    /// <inheritdoc />
    public async ValueTask<Task> SendAsync(IReadOnlyList<OutboundMessage> messages, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(messages);
        foreach (var m in messages)
        {
            if (m.Body.Length > _options.MaxMessageBytes)
            {
                throw new InvalidOperationException(string.Create(CultureInfo.InvariantCulture,
                    $"Message {m.MessageId} of stream '{m.Key}' is {m.Body.Length} bytes, over the {_options.MaxMessageBytes}-byte limit for RabbitMQ exchange '{_options.Exchange}'; it was not published."));
            }
        }

        // The gate covers only the sending, so one batch's publishes are never interleaved with another's; the
        // confirms are awaited by the returned task while the next batch is sent on the same channel.
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var channels = new IChannel[_channels.Length];
            for (var c = 0; c < channels.Length; c++)
            {
                channels[c] = await ChannelAsync(c, cancellationToken).ConfigureAwait(false);
            }

            var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(_options.PublishTimeout);

            // Started in order, each on its stream's channel (RabbitMQ keeps a channel's order), every confirm awaited
            // together: the batch is confirmed only when each channel confirmed its part.
            var confirms = new Task[messages.Count];
            for (var i = 0; i < confirms.Length; i++)
            {
                var m = messages[i];
                var channel = channels[RabbitMqOptions.ChannelOf(m.Key, channels.Length)];
                confirms[i] = channel.BasicPublishAsync(_options.Exchange, RabbitMqOptions.RoutingKey(m.Topic), _options.Mandatory, Properties(m), m.Body, timeout.Token).AsTask();
            }

            return ConfirmAsync(channels, confirms, timeout, cancellationToken);
        }
        finally
        {
            _gate.Release();
        }
    }

    private async Task ConfirmAsync(IChannel[] channels, Task[] confirms, CancellationTokenSource timeout, CancellationToken cancellationToken)
    {
        Exception? failed = null;
        using (timeout)
        {
            foreach (var confirm in confirms)
            {
                try
                {
                    await confirm.ConfigureAwait(false);
                }
                catch (Exception ex) when (ex is not OutOfMemoryException && !cancellationToken.IsCancellationRequested)
                {
                    failed ??= ex;
                }
            }
        }

        if (failed is not null)
        {
            for (var c = 0; c < channels.Length; c++)
            {
                if (!channels[c].IsOpen)
                {
                    // A new channel next time: this one was closed by the broker or the connection.
                    Interlocked.CompareExchange(ref _channels[c], null, channels[c]);
                }
            }

            var why = failed is OperationCanceledException ? $"no confirm within {_options.PublishTimeout.TotalSeconds} s" : failed.Message;
            throw new InvalidOperationException($"RabbitMQ did not confirm every message of the batch of {confirms.Length} for exchange '{_options.Exchange}': {why}", failed);
        }
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        foreach (var channel in _channels)
        {
            if (channel is not null)
            {
                await channel.DisposeAsync().ConfigureAwait(false);
            }
        }

        if (_ownsConnection)
        {
            await _connection.DisposeAsync().ConfigureAwait(false);
        }

        _gate.Dispose();
    }

    private async ValueTask<IChannel> ChannelAsync(int index, CancellationToken ct)
    {
        if (_channels[index] is { IsOpen: true } open)
        {
            return open;
        }

        if (_channels[index] is { } closed)
        {
            await closed.DisposeAsync().ConfigureAwait(false);
            _channels[index] = null;
        }

        var channel = await _connection.CreateChannelAsync(new CreateChannelOptions(publisherConfirmationsEnabled: true, publisherConfirmationTrackingEnabled: true), ct).ConfigureAwait(false);
        await channel.ExchangeDeclareAsync(_options.Exchange, ExchangeType.Topic, durable: true, autoDelete: false, cancellationToken: ct).ConfigureAwait(false);
        _channels[index] = channel;
        return channel;
    }

    private static BasicProperties Properties(OutboundMessage m)
    {
        var headers = new Dictionary<string, object?>(m.Headers.Count + 1, StringComparer.Ordinal);
        foreach (var (name, value) in m.Headers)
        {
            headers[name] = value;
        }

        if (m.Headers.TryGetValue(MessageHeaders.TraceParent, out var traceParent))
        {
            headers[RabbitMqHeaders.WriterTraceParent] = traceParent;
        }

        return new BasicProperties
        {
            MessageId = m.MessageId,
            Persistent = true,
            ContentType = m.Headers.TryGetValue(MessageHeaders.ContentType, out var contentType) ? contentType : null,
            Type = m.Headers.TryGetValue(MessageHeaders.EventType, out var type) ? type : null,
            Headers = headers,
        };
    }
}
