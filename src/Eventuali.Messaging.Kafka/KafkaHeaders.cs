using System.Text;
using Confluent.Kafka;

namespace Eventuali.Messaging.Kafka;

/// <summary>How relayed messages carry their id and headers in Kafka record headers (UTF-8 values).</summary>
public static class KafkaHeaders
{
    /// <summary>The message id (the event id): Kafka records have no id of their own.</summary>
    public const string MessageId = "eventuali-message-id";

    /// <summary>The reason a dead letter was parked, on records in the dead-letter topic.</summary>
    public const string DeadLetterReason = "eventuali-dead-letter-reason";

    internal static Headers ToKafka(string messageId, IReadOnlyDictionary<string, string> headers)
    {
        var kafka = new Headers { { MessageId, Encoding.UTF8.GetBytes(messageId) } };
        foreach (var (key, value) in headers)
        {
            if (key != MessageId)
            {
                kafka.Add(key, Encoding.UTF8.GetBytes(value));
            }
        }

        return kafka;
    }

    internal static InboundMessage ToInbound<TKey>(ConsumeResult<TKey, byte[]> result, KafkaOptions options)
    {
        var headers = new Dictionary<string, string>(StringComparer.Ordinal);
        if (result.Message.Headers is { } h)
        {
            foreach (var header in h)
            {
                // The last value wins, as Kafka clients read a repeated header.
                headers[header.Key] = Encoding.UTF8.GetString(header.GetValueBytes() ?? []);
            }
        }

        // A record from another producer has no id: topic, partition and offset name it, the same on every redelivery.
        var id = headers.TryGetValue(MessageId, out var messageId) && messageId.Length > 0 ? messageId
            : $"{result.Topic}:{result.Partition.Value}:{result.Offset.Value}";
        var topic = result.Topic.StartsWith(options.TopicPrefix, StringComparison.Ordinal) ? result.Topic[options.TopicPrefix.Length..] : result.Topic;
        return new InboundMessage(id, topic, result.Message.Value ?? [], headers);
    }
}
