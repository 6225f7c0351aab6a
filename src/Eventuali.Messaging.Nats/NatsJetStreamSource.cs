using System.Runtime.CompilerServices;
using NATS.Client.Core;
using NATS.Client.JetStream;
using NATS.Client.JetStream.Models;

namespace Eventuali.Messaging.Nats;

/// <summary>
/// Receives from a JetStream stream through a durable consumer with explicit acks: a message not acknowledged within
/// <see cref="NatsJetStreamOptions.AckWait"/> (the consumer crashed) is delivered again. Dead letters are published to
/// the dead-letter stream with the reason in the <c>eventuali-dead-letter-reason</c> header, then terminated.
/// </summary>
public sealed class NatsJetStreamSource : IMessageSource
{
    /// <summary>The header a dead letter carries its reason in.</summary>
    public const string DeadLetterReasonHeader = "eventuali-dead-letter-reason";

    private readonly NatsConnection _connection;
    private readonly NatsJSContext _js;
    private readonly NatsJetStreamOptions _options;
    private readonly string _consumer;
    private readonly string? _topic;
    private readonly bool _ownsConnection;

    /// <summary>A source reading as the durable consumer <paramref name="consumer"/>, of one topic or (null) every one.</summary>
    public NatsJetStreamSource(NatsConnection connection, string consumer, string? topic = null, NatsJetStreamOptions? options = null, bool ownsConnection = false)
    {
        ArgumentNullException.ThrowIfNull(connection);
        Projections.ProjectionNames.Validate(consumer);
        _connection = connection;
        _js = new NatsJSContext(connection);
        _options = options ?? new NatsJetStreamOptions();
        _consumer = consumer;
        _topic = topic;
        _ownsConnection = ownsConnection;
    }

    /// <inheritdoc />
    public async IAsyncEnumerable<ReceivedMessage> ReceiveAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await NatsStreams.EnsureAsync(_js, _options.StreamName, _options.SubjectPrefix + ".>", _options.DuplicateWindow, cancellationToken).ConfigureAwait(false);
        await NatsStreams.EnsureAsync(_js, _options.DeadLetterStreamName, _options.SubjectPrefix + "-dead.>", _options.DuplicateWindow, cancellationToken).ConfigureAwait(false);
        var config = new ConsumerConfig(_consumer)
        {
            AckPolicy = ConsumerConfigAckPolicy.Explicit,
            AckWait = _options.AckWait,
            FilterSubject = _topic is null ? null : _options.Subject(_topic),
            MaxAckPending = 1000,
        };
        var consumer = await _js.CreateOrUpdateConsumerAsync(_options.StreamName, config, cancellationToken).ConfigureAwait(false);
        await foreach (var msg in consumer.ConsumeAsync(NatsRawSerializer<byte[]>.Default, cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            yield return new Delivery(this, msg);
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

    private sealed class Delivery : ReceivedMessage
    {
        private readonly NatsJetStreamSource _source;
        private readonly INatsJSMsg<byte[]> _msg;

        public Delivery(NatsJetStreamSource source, INatsJSMsg<byte[]> msg)
        {
            _source = source;
            _msg = msg;
            var headers = new Dictionary<string, string>(StringComparer.Ordinal);
            if (msg.Headers is { } h)
            {
                foreach (var (key, value) in h)
                {
                    headers[key] = value.ToString();
                }
            }

            var id = headers.TryGetValue("Nats-Msg-Id", out var msgId) ? msgId
                : $"{source._options.StreamName}:{msg.Metadata?.Sequence.Stream}";
            var topic = msg.Subject.StartsWith(source._options.SubjectPrefix + ".", StringComparison.Ordinal) ? msg.Subject[(source._options.SubjectPrefix.Length + 1)..] : msg.Subject;
            Message = new InboundMessage(id, topic, msg.Data ?? [], headers);
        }

        public override InboundMessage Message { get; }

        public override int DeliveryCount => (int)(_msg.Metadata?.NumDelivered ?? 1);

        public override ValueTask AckAsync(CancellationToken cancellationToken = default) => _msg.AckAsync(cancellationToken: cancellationToken);

        public override async ValueTask DeadLetterAsync(string reason, CancellationToken cancellationToken = default)
        {
            var headers = new NatsHeaders();
            foreach (var (key, value) in Message.Headers)
            {
                // JetStream's own headers (message id, expectations) belong to the original publish, not to the copy.
                if (!key.StartsWith("Nats-", StringComparison.OrdinalIgnoreCase))
                {
                    headers[key] = value;
                }
            }

            headers[DeadLetterReasonHeader] = reason;
            var ack = await _source._js.PublishAsync(_source._options.DeadLetterSubject(_source._consumer), Message.Body.ToArray(), NatsRawSerializer<byte[]>.Default,
                new NatsJSPubOpts { MsgId = "dead:" + Message.MessageId }, headers, cancellationToken).ConfigureAwait(false);
            if (!ack.Duplicate)
            {
                ack.EnsureSuccess(); // a duplicate: this dead letter was parked before the consumer crashed
            }

            await _msg.AckTerminateAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
        }
    }
}
