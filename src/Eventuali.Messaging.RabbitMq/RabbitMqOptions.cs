namespace Eventuali.Messaging.RabbitMq;

/// <summary>Where relayed events go in RabbitMQ and how consumers read them.</summary>
public sealed record RabbitMqOptions
{
    /// <summary>The durable topic exchange messages are published to (declared when missing).</summary>
    public string Exchange { get; init; } = "eventuali";

    /// <summary>
    /// Publish with the mandatory flag: a message no queue is bound for comes back and fails the batch, so the relay
    /// waits (and retries) until a consumer's queue exists instead of confirming a message that was dropped. Turn it off
    /// to let RabbitMQ drop messages nobody subscribed to.
    /// </summary>
    public bool Mandatory { get; init; } = true;

    /// <summary>
    /// AMQP channels a publisher sends on at once. Each is one process in the broker (with a quorum queue the busiest
    /// one per message: routing, confirm tracking), so several let a broker with cores to spare use more of them; on a
    /// broker short of CPU they only add its cost per message (measured in docs/brokers.md), hence 1 by default.
    /// Events are spread by a hash of their stream id, so one stream's events always take the same channel and keep
    /// their order; a batch is confirmed when every channel confirmed its part. 1 to 64.
    /// </summary>
    public int PublishChannels { get; init; } = 1;

    /// <summary>The largest message body published; a larger event fails the batch with an error naming it.</summary>
    public int MaxMessageBytes { get; init; } = 16 * 1024 * 1024 - 64 * 1024;

    /// <summary>How long a batch may wait for its confirms (the broker down, reconnecting) before it counts as failed.</summary>
    public TimeSpan PublishTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Unacknowledged deliveries a consumer holds at once (basic.qos prefetch).</summary>
    public ushort Prefetch { get; init; } = 200;

    /// <summary>Dead letters of a consumer's queue go to the durable queue of this name followed by the suffix.</summary>
    public string DeadLetterSuffix { get; init; } = ".dead";

    /// <summary>
    /// The arguments the consumer's queues (and their dead-letter queues) are declared with. The default,
    /// <c>x-queue-type</c> = quorum, costs the broker about half the CPU per persistent, confirmed message of a classic
    /// queue (measured in docs/brokers.md) and keeps its messages in a replicated log. Null: the broker's defaults (a
    /// classic queue); or e.g. <c>x-queue-type</c> = classic with <c>x-queue-version</c> = 2. A queue that exists with
    /// other arguments is refused by the broker, so choose them before the queue first exists.
    /// </summary>
    public IDictionary<string, object?>? QueueArguments { get; init; } = new Dictionary<string, object?>(StringComparer.Ordinal) { ["x-queue-type"] = "quorum" };

    /// <summary>The channel (0 to <paramref name="channels"/> - 1) of stream <paramref name="key"/>: FNV-1a of its characters, the same in every process.</summary>
    internal static int ChannelOf(string key, int channels)
    {
        if (channels == 1)
        {
            return 0;
        }

        var hash = 2166136261u;
        foreach (var c in key)
        {
            hash = (hash ^ c) * 16777619u;
        }

        return (int)(hash % (uint)channels);
    }

    /// <summary>The routing key of <paramref name="topic"/>: '.', '*' and '#' mean something in topic keys, so a category keeps one word.</summary>
    internal static string RoutingKey(string topic)
    {
        var chars = topic.ToCharArray();
        for (var i = 0; i < chars.Length; i++)
        {
            if (chars[i] is '.' or '*' or '#' || char.IsWhiteSpace(chars[i]))
            {
                chars[i] = '_';
            }
        }

        return new string(chars);
    }
}

/// <summary>The headers the RabbitMQ adapter adds beside <see cref="MessageHeaders"/>.</summary>
public static class RabbitMqHeaders
{
    /// <summary>
    /// The writer's trace context, kept apart from <c>traceparent</c>, which the RabbitMQ client's own tracing overwrites
    /// with the publisher's span. A received message carries the writer's again under <see cref="MessageHeaders.TraceParent"/>.
    /// </summary>
    public const string WriterTraceParent = "eventuali-traceparent";

    /// <summary>Where a received message keeps the broker-side (client-injected) <c>traceparent</c> when it differed.</summary>
    public const string TransportTraceParent = "amqp-traceparent";

    /// <summary>Why a dead letter was parked.</summary>
    public const string DeadLetterReason = "eventuali-dead-letter-reason";
}
