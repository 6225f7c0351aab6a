using Confluent.Kafka;

namespace Eventuali.Messaging.Kafka;

/// <summary>Consumers configured the one way this adapter uses them.</summary>
internal static class KafkaClients
{
    public static IConsumer<string, byte[]> Consumer(KafkaOptions options, string group, bool readCommitted)
    {
        var config = new ConsumerConfig
        {
            GroupId = group,
            EnableAutoCommit = false,
            EnableAutoOffsetStore = false,
            AutoOffsetReset = AutoOffsetReset.Earliest,
            AllowAutoCreateTopics = true,
            IsolationLevel = readCommitted ? IsolationLevel.ReadCommitted : IsolationLevel.ReadUncommitted,
            SessionTimeoutMs = 10_000,
            TopicMetadataRefreshIntervalMs = 1_000,
        };
        options.Apply(config);
        return new ConsumerBuilder<string, byte[]>(config).SetLogHandler((_, _) => { }).SetErrorHandler((_, _) => { }).Build();
    }

    /// <summary>A record already fetched, or null (none now, or an error left for <see cref="ConsumeNext"/> to wait out).</summary>
    public static ConsumeResult<string, byte[]>? TryConsumeNow(IConsumer<string, byte[]> client)
    {
        try
        {
            return client.Consume(TimeSpan.Zero) is { IsPartitionEOF: false, Message: not null } result ? result : null;
        }
        catch (ConsumeException ex) when (!ex.Error.IsFatal)
        {
            return null;
        }
    }

    /// <summary>
    /// Reads <paramref name="at"/> again next. A partition no longer assigned (a rebalance) is left alone: its next owner
    /// starts from the committed offset, which is at or before it.
    /// </summary>
    public static void Rewind(IConsumer<string, byte[]> client, TopicPartitionOffset at)
    {
        try
        {
            client.Seek(at);
        }
        catch (KafkaException ex) when (!ex.Error.IsFatal)
        {
        }
    }

    /// <summary>The next record; errors librdkafka recovers from itself (a topic not created yet, a broker away) are waited out.</summary>
    public static ConsumeResult<string, byte[]> ConsumeNext(IConsumer<string, byte[]> client, CancellationToken ct)
    {
        while (true)
        {
            try
            {
                var result = client.Consume(ct);
                if (result is { IsPartitionEOF: false, Message: not null })
                {
                    return result;
                }
            }
            catch (ConsumeException ex) when (!ex.Error.IsFatal)
            {
                ct.WaitHandle.WaitOne(TimeSpan.FromMilliseconds(100));
            }
        }
    }
}
