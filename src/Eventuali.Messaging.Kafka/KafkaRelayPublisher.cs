using Confluent.Kafka;

namespace Eventuali.Messaging.Kafka;

/// <summary>
/// Publishes to Kafka with the idempotent producer (<c>enable.idempotence</c>, acks=all, the gapless guarantee): key =
/// stream id, so a stream's events share a partition and keep their order; topic per relay topic (see
/// <see cref="KafkaOptions.TopicFor"/>); the event id, type, content type (a Protocol Buffers schema reference kept as
/// written) and traceparent in record headers. A batch is confirmed once every delivery report came back successful;
/// only then does the relay move its checkpoint.
/// </summary>
public sealed class KafkaRelayPublisher : IMessagePublisher
{
    private readonly KafkaOptions _options;
    private readonly Lock _gate = new();
    private IProducer<string, byte[]>? _producer;
    private volatile Error? _fatal;

    /// <summary>A publisher to the cluster <paramref name="options"/> names; the producer is created on first use.</summary>
    public KafkaRelayPublisher(KafkaOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options;
        _ = options.Producer(); // validates the settings now, not at the first batch
    }

    /// <inheritdoc />
    public string Broker => "kafka";

    /// <inheritdoc />
    public async ValueTask PublishAsync(IReadOnlyList<OutboundMessage> messages, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(messages);
        var producer = Producer();
        var reports = new Task<DeliveryResult<string, byte[]>>[messages.Count];
        for (var i = 0; i < reports.Length; i++)
        {
            var m = messages[i];
            var record = new Message<string, byte[]> { Key = m.Key, Value = m.Body.ToArray(), Headers = KafkaHeaders.ToKafka(m.MessageId, m.Headers) };

            // ProduceAsync queues the record before it returns, so the batch is queued in order; the reports come after.
            reports[i] = producer.ProduceAsync(_options.TopicFor(m.Topic), record, CancellationToken.None);
        }

        Exception? failed = null;
        for (var i = 0; i < reports.Length; i++)
        {
            try
            {
                await reports[i].WaitAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (ProduceException<string, byte[]> ex)
            {
                failed ??= Explain(messages[i], ex.Error, ex);
                if (ex.Error.IsFatal)
                {
                    _fatal = ex.Error;
                }
            }
        }

        if (failed is not null)
        {
            throw failed;
        }
    }

    /// <inheritdoc />
    public ValueTask DisposeAsync()
    {
        IProducer<string, byte[]>? producer;
        lock (_gate)
        {
            producer = _producer;
            _producer = null;
        }

        if (producer is not null)
        {
            // Whatever is still queued was never confirmed, so the relay publishes it again: no need to wait long.
            producer.Flush(TimeSpan.FromSeconds(5));
            producer.Dispose();
        }

        return ValueTask.CompletedTask;
    }

    private IProducer<string, byte[]> Producer()
    {
        lock (_gate)
        {
            // A fatal error (the gapless guarantee broken, the producer id fenced) ends the producer: a new one starts
            // a new idempotent session, and the relay's retry publishes the batch again in order.
            if (_fatal is not null && _producer is not null)
            {
                _producer.Dispose();
                _producer = null;
                _fatal = null;
            }

            return _producer ??= new ProducerBuilder<string, byte[]>(_options.Producer())
                .SetErrorHandler((_, e) =>
                {
                    if (e.IsFatal)
                    {
                        _fatal = e;
                    }
                })
                .SetLogHandler((_, _) => { }) // librdkafka's retries are reported through the failed batch instead
                .Build();
        }
    }

    private InvalidOperationException Explain(OutboundMessage message, Error error, Exception inner) => error.Code switch
    {
        ErrorCode.MsgSizeTooLarge => new InvalidOperationException(
            $"Kafka refused message {message.MessageId} of stream '{message.Key}' for topic '{_options.TopicFor(message.Topic)}': it is {message.Body.Length} bytes of payload, more than the {_options.MessageMaxBytes} bytes allowed (KafkaOptions.MessageMaxBytes and the topic's max.message.bytes).", inner),
        ErrorCode.Local_MsgTimedOut => new InvalidOperationException(
            $"Kafka at {_options.Where} did not confirm message {message.MessageId} of stream '{message.Key}' within {_options.PublishTimeout.TotalSeconds} s: the cluster is unreachable, refused the login, or is not accepting writes.", inner),
        _ => new InvalidOperationException(
            $"Kafka at {_options.Where} did not confirm message {message.MessageId} of stream '{message.Key}' for topic '{_options.TopicFor(message.Topic)}': {KafkaOptions.Describe(error)}.", inner),
    };
}
