namespace Eventuali.Messaging.Kafka.Tests;

/// <summary>The relay killed with SIGKILL between publish and checkpoint (<see cref="RelaySigkillTests"/>), against the Kafka mock cluster.</summary>
public sealed class KafkaRelaySigkillTests : RelaySigkillTests
{
    protected override string BrokerName => "kafka";

    // A restarted relay is a new producer session: the idempotent producer drops only its own retries, so Kafka keeps
    // both copies of the batch published again and the inbox drops the second.
    protected override bool BrokerDropsDuplicates => false;

    // The names the relay host derives from the tag: topics tag.*.
    private KafkaOptions Options => Kafka.Isolated() with { TopicPrefix = Tag + "." };

    protected override ValueTask<IMessageSource> OpenSourceAsync() => ValueTask.FromResult<IMessageSource>(new KafkaMessageSource(Options, Kafka.Group(Options, "shipping"), "order"));

    protected override Task<long> StoredAsync() => Task.FromResult((long)Kafka.ReadTopic(Options, Tag + ".order").Count);
}
