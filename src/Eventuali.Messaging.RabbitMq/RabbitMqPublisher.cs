using System.Globalization;
using RabbitMQ.Client;

namespace Eventuali.Messaging.RabbitMq;

/// <summary>
/// Publishes to a durable RabbitMQ topic exchange with publisher confirms: routing key = the topic (the category by
/// default), message id = event id, persistent delivery, the headers as AMQP headers. A batch is confirmed when the
/// broker acknowledged every message (persisted to disk for a durable queue). RabbitMQ keeps no message-id dedup: a
/// batch published again adds its messages again, and consumers drop them by message id through their inbox.
/// </summary>
public sealed class RabbitMqPublisher : IMessagePublisher
{
    private readonly IConnection _connection;
    private readonly RabbitMqOptions _options;
    private readonly bool _ownsConnection;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private IChannel? _channel;

    /// <summary>A publisher on <paramref name="connection"/>; disposing it closes the connection when <paramref name="ownsConnection"/>.</summary>
    public RabbitMqPublisher(IConnection connection, RabbitMqOptions? options = null, bool ownsConnection = false)
    {
        ArgumentNullException.ThrowIfNull(connection);
        _connection = connection;
        _options = options ?? new RabbitMqOptions();
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
            var channel = await ChannelAsync(cancellationToken).ConfigureAwait(false);
            var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(_options.PublishTimeout);

            // Started in order on the one channel (RabbitMQ keeps a channel's order), every confirm awaited together.
            var confirms = new Task[messages.Count];
            for (var i = 0; i < confirms.Length; i++)
            {
                var m = messages[i];
                confirms[i] = channel.BasicPublishAsync(_options.Exchange, RabbitMqOptions.RoutingKey(m.Topic), _options.Mandatory, Properties(m), m.Body, timeout.Token).AsTask();
            }

            return ConfirmAsync(channel, confirms, timeout, cancellationToken);
        }
        finally
        {
            _gate.Release();
        }
    }

    private async Task ConfirmAsync(IChannel channel, Task[] confirms, CancellationTokenSource timeout, CancellationToken cancellationToken)
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
            if (!channel.IsOpen)
            {
                // A new channel next time: this one was closed by the broker or the connection.
                Interlocked.CompareExchange(ref _channel, null, channel);
            }

            var why = failed is OperationCanceledException ? $"no confirm within {_options.PublishTimeout.TotalSeconds} s" : failed.Message;
            throw new InvalidOperationException($"RabbitMQ did not confirm every message of the batch of {confirms.Length} for exchange '{_options.Exchange}': {why}", failed);
        }
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        if (_channel is { } channel)
        {
            await channel.DisposeAsync().ConfigureAwait(false);
        }

        if (_ownsConnection)
        {
            await _connection.DisposeAsync().ConfigureAwait(false);
        }

        _gate.Dispose();
    }

    private async ValueTask<IChannel> ChannelAsync(CancellationToken ct)
    {
        if (_channel is { IsOpen: true } open)
        {
            return open;
        }

        if (_channel is { } closed)
        {
            await closed.DisposeAsync().ConfigureAwait(false);
            _channel = null;
        }

        var channel = await _connection.CreateChannelAsync(new CreateChannelOptions(publisherConfirmationsEnabled: true, publisherConfirmationTrackingEnabled: true), ct).ConfigureAwait(false);
        await channel.ExchangeDeclareAsync(_options.Exchange, ExchangeType.Topic, durable: true, autoDelete: false, cancellationToken: ct).ConfigureAwait(false);
        _channel = channel;
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
