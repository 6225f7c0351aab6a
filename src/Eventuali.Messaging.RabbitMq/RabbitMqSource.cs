using System.Runtime.CompilerServices;
using System.Security.Cryptography;
using System.Threading.Channels;
using RabbitMQ.Client;
using RabbitMQ.Client.Events;

namespace Eventuali.Messaging.RabbitMq;

/// <summary>
/// Receives from a durable queue bound to the topic exchange (declared when missing), with manual acks: a delivery not
/// acknowledged when its channel or connection closes (the consumer crashed) goes back to the queue and is delivered
/// again, marked redelivered. Dead letters go to the durable queue <c>queue + DeadLetterSuffix</c> with the reason in
/// the <c>eventuali-dead-letter-reason</c> header, published with a confirm before the original is acknowledged.
/// </summary>
public sealed class RabbitMqSource : IMessageSource
{
    private readonly IConnection _connection;
    private readonly RabbitMqOptions _options;
    private readonly string _queue;
    private readonly string _bindingKey;
    private readonly bool _ownsConnection;

    /// <summary>A source reading the queue <paramref name="queue"/>, bound to <paramref name="topic"/> (null: every topic).</summary>
    public RabbitMqSource(IConnection connection, string queue, string? topic = null, RabbitMqOptions? options = null, bool ownsConnection = false)
    {
        ArgumentNullException.ThrowIfNull(connection);
        ArgumentException.ThrowIfNullOrEmpty(queue);
        _connection = connection;
        _options = options ?? new RabbitMqOptions();
        _queue = queue;
        _bindingKey = topic is null ? "#" : RabbitMqOptions.RoutingKey(topic);
        _ownsConnection = ownsConnection;
    }

    /// <summary>The queue dead letters go to.</summary>
    public string DeadLetterQueue => _queue + _options.DeadLetterSuffix;

    /// <summary>
    /// Declares the exchange, the queue with its binding and the dead-letter queue (all durable). Run it before the relay
    /// publishes, so messages published before the first receive are kept; <see cref="ReceiveAsync"/> runs it too.
    /// </summary>
    public async ValueTask DeclareAsync(CancellationToken cancellationToken = default)
    {
        var channel = await _connection.CreateChannelAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
        await using (channel.ConfigureAwait(false))
        {
            await DeclareAsync(channel, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <inheritdoc />
    public async IAsyncEnumerable<ReceivedMessage> ReceiveAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var channel = await _connection.CreateChannelAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
        var dead = await _connection.CreateChannelAsync(new CreateChannelOptions(publisherConfirmationsEnabled: true, publisherConfirmationTrackingEnabled: true), cancellationToken).ConfigureAwait(false);
        try
        {
            await DeclareAsync(channel, cancellationToken).ConfigureAwait(false);
            await channel.BasicQosAsync(0, _options.Prefetch, false, cancellationToken).ConfigureAwait(false);
            var deliveries = Channel.CreateUnbounded<ReceivedMessage>(new UnboundedChannelOptions { SingleReader = true });
            var consumer = new AsyncEventingBasicConsumer(channel);
            consumer.ReceivedAsync += (_, e) =>
            {
                // The body is only valid inside this callback: copied.
                deliveries.Writer.TryWrite(new Delivery(this, channel, dead, e));
                return Task.CompletedTask;
            };
            await channel.BasicConsumeAsync(_queue, autoAck: false, consumer, cancellationToken).ConfigureAwait(false);
            await foreach (var delivery in deliveries.Reader.ReadAllAsync(cancellationToken).ConfigureAwait(false))
            {
                yield return delivery;
            }
        }
        finally
        {
            // Closing the channel hands every unacknowledged delivery back to the queue.
            await channel.DisposeAsync().ConfigureAwait(false);
            await dead.DisposeAsync().ConfigureAwait(false);
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

    private async Task DeclareAsync(IChannel channel, CancellationToken ct)
    {
        await channel.ExchangeDeclareAsync(_options.Exchange, ExchangeType.Topic, durable: true, autoDelete: false, cancellationToken: ct).ConfigureAwait(false);
        await channel.QueueDeclareAsync(_queue, durable: true, exclusive: false, autoDelete: false, arguments: _options.QueueArguments, cancellationToken: ct).ConfigureAwait(false);
        await channel.QueueBindAsync(_queue, _options.Exchange, _bindingKey, cancellationToken: ct).ConfigureAwait(false);
        await channel.QueueDeclareAsync(DeadLetterQueue, durable: true, exclusive: false, autoDelete: false, arguments: _options.QueueArguments, cancellationToken: ct).ConfigureAwait(false);
    }

    private sealed class Delivery : ReceivedMessage
    {
        private readonly RabbitMqSource _source;
        private readonly IChannel _channel;
        private readonly IChannel _dead;
        private readonly ulong _tag;
        private readonly IReadOnlyBasicProperties _properties;

        public Delivery(RabbitMqSource source, IChannel channel, IChannel dead, BasicDeliverEventArgs e)
        {
            _source = source;
            _channel = channel;
            _dead = dead;
            _tag = e.DeliveryTag;
            _properties = e.BasicProperties;
            DeliveryCount = e.Redelivered ? 2 : 1;
            var body = e.Body.ToArray();
            var headers = RabbitMqHeaderValues.Read(e.BasicProperties);
            var id = e.BasicProperties.MessageId is { Length: > 0 } messageId ? messageId
                : "rabbitmq:" + Convert.ToHexStringLower(SHA256.HashData(body)); // no id: the same body is the same message
            Message = new InboundMessage(id, e.RoutingKey, body, headers);
        }

        public override InboundMessage Message { get; }

        /// <summary>1 for a first delivery; 2 for one RabbitMQ marked redelivered (classic queues count no further).</summary>
        public override int DeliveryCount { get; }

        public override async ValueTask AckAsync(CancellationToken cancellationToken = default)
        {
            try
            {
                await _channel.BasicAckAsync(_tag, multiple: false, cancellationToken).ConfigureAwait(false);
            }
            catch (RabbitMQ.Client.Exceptions.AlreadyClosedException)
            {
                // The channel closed since the delivery: the broker delivers it again, and the inbox makes that a no-op.
            }
        }

        public override async ValueTask DeadLetterAsync(string reason, CancellationToken cancellationToken = default)
        {
            ArgumentException.ThrowIfNullOrEmpty(reason);
            var headers = new Dictionary<string, object?>(StringComparer.Ordinal);
            if (_properties.Headers is { } original)
            {
                foreach (var (name, value) in original)
                {
                    headers[name] = value;
                }
            }

            headers[RabbitMqHeaders.DeadLetterReason] = reason;
            var properties = new BasicProperties
            {
                MessageId = _properties.MessageId,
                ContentType = _properties.ContentType,
                Type = _properties.Type,
                Persistent = true,
                Headers = headers,
            };
            try
            {
                await _dead.BasicPublishAsync(string.Empty, _source.DeadLetterQueue, mandatory: true, properties, Message.Body, cancellationToken).ConfigureAwait(false);
                await _channel.BasicAckAsync(_tag, multiple: false, cancellationToken).ConfigureAwait(false);
            }
            catch (RabbitMQ.Client.Exceptions.AlreadyClosedException)
            {
                // Not acknowledged: delivered again and dead-lettered then.
            }
        }
    }
}

internal static class RabbitMqHeaderValues
{
    /// <summary>The AMQP headers as strings (RabbitMQ hands strings back as bytes), with the writer's trace context restored.</summary>
    public static Dictionary<string, string> Read(IReadOnlyBasicProperties properties)
    {
        var headers = new Dictionary<string, string>(StringComparer.Ordinal);
        if (properties.Headers is { } amqp)
        {
            foreach (var (name, value) in amqp)
            {
                headers[name] = value switch
                {
                    byte[] bytes => System.Text.Encoding.UTF8.GetString(bytes),
                    null => string.Empty,
                    _ => Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture) ?? string.Empty,
                };
            }
        }

        if (!headers.ContainsKey(MessageHeaders.ContentType) && properties.ContentType is { Length: > 0 } contentType)
        {
            headers[MessageHeaders.ContentType] = contentType;
        }

        // The client's tracing may have replaced traceparent with the publisher's span: the writer's is put back.
        if (headers.Remove(RabbitMqHeaders.WriterTraceParent, out var writer))
        {
            if (headers.TryGetValue(MessageHeaders.TraceParent, out var transport) && transport != writer)
            {
                headers[RabbitMqHeaders.TransportTraceParent] = transport;
            }

            headers[MessageHeaders.TraceParent] = writer;
        }

        return headers;
    }
}
