using System.Runtime.CompilerServices;
using Confluent.Kafka;

namespace Eventuali.Messaging.Kafka;

/// <summary>
/// Receives from Kafka topics as the consumer group <c>consumer</c>, committing offsets by hand: a message's offset is
/// committed when it is acknowledged (after the inbox transaction) or dead-lettered, never before. A message left
/// unacknowledged (its handler failed) is delivered again: the source seeks its partition back to it before handing out
/// anything later. A consumer that crashes resumes from the last committed offset, so what it had not acknowledged comes
/// again. Dead letters go to <see cref="KafkaOptions.DeadLetterTopic"/> with the reason in
/// <see cref="KafkaHeaders.DeadLetterReason"/>.
/// </summary>
public sealed class KafkaMessageSource : IMessageSource
{
    private readonly KafkaOptions _options;
    private readonly string _consumer;
    private readonly string[] _topics;
    private readonly Dictionary<TopicPartition, Delivery> _unsettled = [];
    private readonly Dictionary<TopicPartitionOffset, int> _deliveries = [];
    private IConsumer<string, byte[]>? _client;
    private IProducer<string, byte[]>? _deadLetters;

    /// <summary>A source reading relay topics <paramref name="topics"/> (categories, mapped by <see cref="KafkaOptions.TopicFor"/>) as group <paramref name="consumer"/>.</summary>
    public KafkaMessageSource(KafkaOptions options, string consumer, params IReadOnlyList<string> topics)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(topics);
        Projections.ProjectionNames.Validate(consumer);
        if (topics.Count == 0)
        {
            throw new ArgumentException("Give at least one topic to consume.", nameof(topics));
        }

        _options = options;
        _consumer = consumer;
        _topics = [.. topics.Select(options.TopicFor)];
    }

    /// <inheritdoc />
    public async IAsyncEnumerable<ReceivedMessage> ReceiveAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var client = _client ??= KafkaClients.Consumer(_options, _consumer, readCommitted: false);
        client.Subscribe(_topics);
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();

            // Whatever was handed out and neither acknowledged nor dead-lettered failed in its handler: go back to it.
            foreach (var left in _unsettled.Values.Where(d => !d.Settled).ToList())
            {
                KafkaClients.Rewind(client, left.Result.TopicPartitionOffset);
            }

            _unsettled.Clear();
            var result = await Task.Run(() => KafkaClients.ConsumeNext(client, cancellationToken), cancellationToken).ConfigureAwait(false);
            var count = _deliveries.TryGetValue(result.TopicPartitionOffset, out var n) ? n + 1 : 1;
            _deliveries[result.TopicPartitionOffset] = count;
            var delivery = new Delivery(this, result, count);
            _unsettled[result.TopicPartition] = delivery;
            yield return delivery;
        }
    }

    /// <inheritdoc />
    public ValueTask DisposeAsync()
    {
        _client?.Close();
        _client?.Dispose();
        _deadLetters?.Flush(TimeSpan.FromSeconds(5));
        _deadLetters?.Dispose();
        return ValueTask.CompletedTask;
    }

    private void Commit(Delivery delivery)
    {
        _client!.Commit([new TopicPartitionOffset(delivery.Result.TopicPartition, delivery.Result.Offset + 1)]);
        delivery.Settled = true;
        _deliveries.Remove(delivery.Result.TopicPartitionOffset);
    }

    private sealed class Delivery : ReceivedMessage
    {
        private readonly KafkaMessageSource _source;

        public Delivery(KafkaMessageSource source, ConsumeResult<string, byte[]> result, int count)
        {
            _source = source;
            Result = result;
            DeliveryCount = count;
            Message = KafkaHeaders.ToInbound(result, source._options);
        }

        public ConsumeResult<string, byte[]> Result { get; }

        public bool Settled { get; set; }

        public override InboundMessage Message { get; }

        public override int DeliveryCount { get; }

        public override ValueTask AckAsync(CancellationToken cancellationToken = default)
        {
            _source.Commit(this);
            return ValueTask.CompletedTask;
        }

        public override async ValueTask DeadLetterAsync(string reason, CancellationToken cancellationToken = default)
        {
            ArgumentNullException.ThrowIfNull(reason);
            var producer = _source._deadLetters ??= new ProducerBuilder<string, byte[]>(_source._options.Producer()).SetLogHandler((_, _) => { }).Build();
            var headers = KafkaHeaders.ToKafka(Message.MessageId, Message.Headers);
            headers.Add(KafkaHeaders.DeadLetterReason, System.Text.Encoding.UTF8.GetBytes(reason));
            var record = new Message<string, byte[]> { Key = Result.Message.Key, Value = Result.Message.Value, Headers = headers };
            await producer.ProduceAsync(_source._options.DeadLetterTopic(_source._consumer), record, cancellationToken).ConfigureAwait(false);
            _source.Commit(this);
        }
    }
}
