using Eventuali.Messaging;
using Eventuali.Messaging.Kafka;
using Eventuali.Messaging.Nats;
using Eventuali.Messaging.RabbitMq;
using Eventuali.Messaging.Redis;

namespace Eventuali.Cli.Commands;

/// <summary>The brokers <c>relay run</c> publishes to: chosen by <c>--broker</c>, else by the URL's scheme, else NATS.</summary>
internal static class RelayBrokers
{
    public const string Names = "nats, redis, rabbitmq or kafka";

    /// <summary>The broker named by <paramref name="broker"/>, or by the scheme of <paramref name="url"/> (nats://, redis://, amqp://, kafka://).</summary>
    public static string Resolve(string? broker, string? url)
    {
        if (broker is not null)
        {
            return broker.ToLowerInvariant() switch
            {
                "nats" => "nats",
                "redis" => "redis",
                "rabbitmq" or "amqp" => "rabbitmq",
                "kafka" => "kafka",
                _ => throw new UsageException($"--broker '{broker}' is not shipped in the command; use {Names} (other adapters are libraries, see docs/brokers.md)."),
            };
        }

        var scheme = url is not null && Uri.TryCreate(url, UriKind.Absolute, out var uri) ? uri.Scheme : "nats";
        return scheme switch
        {
            "redis" or "rediss" => "redis",
            "amqp" or "amqps" => "rabbitmq",
            "kafka" => "kafka",
            _ => "nats",
        };
    }

    /// <summary>The environment variable holding the URL of <paramref name="broker"/>.</summary>
    public static string UrlVariable(string broker) => broker switch
    {
        "redis" => "EVENTUALI_REDIS_URL",
        "rabbitmq" => "EVENTUALI_RABBITMQ_URL",
        "kafka" => "EVENTUALI_KAFKA_URL",
        _ => "EVENTUALI_NATS_URL",
    };

    /// <summary>Connects and returns the publisher and a line saying where it publishes.</summary>
    public static async Task<(IMessagePublisher Publisher, string Where)> OpenAsync(string broker, string url, string jetStream, string subjectPrefix, CancellationToken ct)
    {
        switch (broker)
        {
            case "redis":
                var redis = await RedisConnect.ConnectAsync(url, ct).ConfigureAwait(false);
                var redisOptions = new RedisStreamsOptions();
                return (new RedisStreamsPublisher(redis, redisOptions, ownsConnection: true), $"redis (streams '{redisOptions.KeyPrefix}<category>')");
            case "rabbitmq":
                var rabbit = await RabbitMqConnect.ConnectAsync(url, "eventuali-relay", ct).ConfigureAwait(false);
                var rabbitOptions = new RabbitMqOptions();
                return (new RabbitMqPublisher(rabbit, rabbitOptions, ownsConnection: true), $"rabbitmq (topic exchange '{rabbitOptions.Exchange}')");
            case "kafka":
                KafkaOptions kafkaOptions;
                try
                {
                    kafkaOptions = KafkaOptions.FromUrl(url);
                }
                catch (ArgumentException ex)
                {
                    throw new UsageException(ex.Message);
                }

                await KafkaConnect.CheckAsync(kafkaOptions, cancellationToken: ct).ConfigureAwait(false);
                return (new KafkaRelayPublisher(kafkaOptions), $"kafka at {kafkaOptions.BootstrapServers} (topics '{kafkaOptions.TopicPrefix}<category>')");
            default:
                var nats = await NatsConnect.ConnectAsync(url, cancellationToken: ct).ConfigureAwait(false);
                var natsOptions = new NatsJetStreamOptions { StreamName = jetStream, SubjectPrefix = subjectPrefix };
                return (new NatsJetStreamPublisher(nats, natsOptions, ownsConnection: true), $"nats (JetStream stream '{jetStream}', subjects '{subjectPrefix}.>')");
        }
    }
}
