using Eventuali.Messaging.Kafka;
using Eventuali.Messaging.Nats;
using Eventuali.Messaging.RabbitMq;
using Eventuali.Messaging.Redis;

namespace Eventuali.Messaging.RelayHost;

/// <summary>
/// The real adapter's publisher for the broker named on the command line, on names derived from the test's tag (the
/// test's consuming side derives the same): NATS stream TAG (upper case) on subjects <c>tag.*</c>; Redis keys
/// <c>tag:*</c>; RabbitMQ exchange <c>tag</c>; Kafka topics <c>tag.*</c>. The server comes from the same environment
/// variable the tests read.
/// </summary>
internal static class Publishers
{
    public static async Task<IMessagePublisher> CreateAsync(string broker, string tag) => broker switch
    {
        "nats" => new NatsJetStreamPublisher(await NatsConnect.ConnectAsync(Variable("EVENTUALI_NATS_URL")),
            new NatsJetStreamOptions { StreamName = tag.ToUpperInvariant(), SubjectPrefix = tag }, ownsConnection: true),
        "redis" => new RedisStreamsPublisher(await RedisConnect.ConnectAsync(Variable("EVENTUALI_REDIS_URL")),
            new RedisStreamsOptions { KeyPrefix = tag + ":" }, ownsConnection: true),
        "rabbitmq" => new RabbitMqPublisher(await RabbitMqConnect.ConnectAsync(Variable("EVENTUALI_RABBITMQ_URL"), "relay-host"),
            new RabbitMqOptions { Exchange = tag }, ownsConnection: true),
        "kafka" => new KafkaRelayPublisher(new KafkaOptions { BootstrapServers = Variable("EVENTUALI_KAFKA_BOOTSTRAP"), TopicPrefix = tag + "." }),
        _ => throw new ArgumentException($"Unknown broker '{broker}': expected nats, redis, rabbitmq or kafka.", nameof(broker)),
    };

    private static string Variable(string name) => Environment.GetEnvironmentVariable(name) is { Length: > 0 } value ? value
        : throw new InvalidOperationException($"{name} is not set.");
}
