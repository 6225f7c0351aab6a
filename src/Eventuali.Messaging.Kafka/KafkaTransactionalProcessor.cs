using Confluent.Kafka;

namespace Eventuali.Messaging.Kafka;

/// <summary>
/// Exactly-once consume-transform-produce between Kafka topics: each batch read from the input topics is transformed,
/// its output records produced and its input offsets committed (<c>SendOffsetsToTransaction</c>) in one Kafka
/// transaction under <see cref="TransactionalId"/>. A consumer reading the output with isolation level read_committed
/// sees every output exactly once, even when a transform fails or the processor crashes mid-batch: the transaction is
/// aborted (or never committed) and the batch is read again. Effects outside Kafka (a database write in the transform)
/// are not covered; put those behind a <see cref="MessageInbox"/>.
/// </summary>
public sealed class KafkaTransactionalProcessor
{
    private readonly KafkaOptions _options;
    private readonly string _consumer;
    private readonly string[] _topics;
    private long _committed;

    /// <summary>A processor reading relay topics <paramref name="topics"/> as group <paramref name="consumer"/>, writing as <paramref name="transactionalId"/>.</summary>
    public KafkaTransactionalProcessor(KafkaOptions options, string consumer, string transactionalId, params IReadOnlyList<string> topics)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(topics);
        Projections.ProjectionNames.Validate(consumer);
        ArgumentException.ThrowIfNullOrEmpty(transactionalId);
        if (topics.Count == 0)
        {
            throw new ArgumentException("Give at least one topic to consume.", nameof(topics));
        }

        _options = options;
        _consumer = consumer;
        TransactionalId = transactionalId;
        _topics = [.. topics.Select(options.TopicFor)];
    }

    /// <summary>
    /// The producer's transactional id: keep it stable per input (one processor instance at a time); a second instance
    /// with the same id fences the first (its next commit fails).
    /// </summary>
    public string TransactionalId { get; }

    /// <summary>The most input records one transaction takes.</summary>
    public int MaxBatch { get; init; } = 100;

    /// <summary>How long a transaction operation (init, commit, abort) may take.</summary>
    public TimeSpan TransactionTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Input records committed so far (each once, in a committed transaction).</summary>
    public long Committed => Interlocked.Read(ref _committed);

    /// <summary>
    /// Runs until cancelled. <paramref name="transform"/> gives the records to produce for one input record (none is
    /// fine); a <see cref="PoisonMessageException"/> sends the input to the dead-letter topic within the same
    /// transaction. Any other error aborts the batch's transaction, reports to <paramref name="onError"/> and reads the
    /// batch again.
    /// </summary>
    public Task RunAsync(Func<InboundMessage, CancellationToken, ValueTask<IReadOnlyList<OutboundMessage>>> transform, Action<Exception>? onError = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(transform);

        // librdkafka's transaction calls block: the loop runs on a pool thread of its own, not the caller's.
        return Task.Run(() => LoopAsync(transform, onError, cancellationToken), cancellationToken);
    }

    private async Task LoopAsync(Func<InboundMessage, CancellationToken, ValueTask<IReadOnlyList<OutboundMessage>>> transform, Action<Exception>? onError, CancellationToken ct)
    {
        using var consumer = KafkaClients.Consumer(_options, _consumer, readCommitted: true);
        var config = _options.Producer();
        config.TransactionalId = TransactionalId;
        config.TransactionTimeoutMs = (int)TransactionTimeout.TotalMilliseconds;
        using var producer = new ProducerBuilder<string, byte[]>(config).SetLogHandler((_, _) => { }).Build();
        producer.InitTransactions(TransactionTimeout);
        consumer.Subscribe(_topics);
        try
        {
            while (true)
            {
                var batch = new List<ConsumeResult<string, byte[]>> { KafkaClients.ConsumeNext(consumer, ct) };
                while (batch.Count < MaxBatch && KafkaClients.TryConsumeNow(consumer) is { } more)
                {
                    batch.Add(more);
                }

                try
                {
                    await CommitBatchAsync(producer, consumer, batch, transform, ct).ConfigureAwait(false);
                    Interlocked.Add(ref _committed, batch.Count);
                }
                catch (Exception ex) when (ex is not OperationCanceledException && ex is not OutOfMemoryException && !(ex is KafkaException k && k.Error.IsFatal))
                {
                    producer.AbortTransaction(TransactionTimeout);
                    foreach (var first in batch.GroupBy(r => r.TopicPartition).Select(g => g.First()))
                    {
                        KafkaClients.Rewind(consumer, first.TopicPartitionOffset);
                    }

                    onError?.Invoke(ex);
                }
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            consumer.Close();
        }
    }

    private async Task CommitBatchAsync(IProducer<string, byte[]> producer, IConsumer<string, byte[]> consumer, List<ConsumeResult<string, byte[]>> batch,
        Func<InboundMessage, CancellationToken, ValueTask<IReadOnlyList<OutboundMessage>>> transform, CancellationToken ct)
    {
        producer.BeginTransaction();
        var sends = new List<Task>();
        foreach (var input in batch)
        {
            var message = KafkaHeaders.ToInbound(input, _options);
            try
            {
                foreach (var output in await transform(message, ct).ConfigureAwait(false))
                {
                    var record = new Message<string, byte[]> { Key = output.Key, Value = output.Body.ToArray(), Headers = KafkaHeaders.ToKafka(output.MessageId, output.Headers) };
                    sends.Add(producer.ProduceAsync(_options.TopicFor(output.Topic), record, CancellationToken.None));
                }
            }
            catch (PoisonMessageException poison)
            {
                var headers = KafkaHeaders.ToKafka(message.MessageId, message.Headers);
                headers.Add(KafkaHeaders.DeadLetterReason, System.Text.Encoding.UTF8.GetBytes(poison.Message));
                sends.Add(producer.ProduceAsync(_options.DeadLetterTopic(_consumer), new Message<string, byte[]> { Key = input.Message.Key, Value = input.Message.Value, Headers = headers }, CancellationToken.None));
            }
        }

        await Task.WhenAll(sends).ConfigureAwait(false);
        var offsets = batch.GroupBy(r => r.TopicPartition).Select(g => new TopicPartitionOffset(g.Key, g.Max(r => r.Offset.Value) + 1)).ToList();
        producer.SendOffsetsToTransaction(offsets, consumer.ConsumerGroupMetadata, TransactionTimeout);
        producer.CommitTransaction(TransactionTimeout);
    }
}
