namespace Eventuali.Messaging.Redis;

/// <summary>Where relayed events go in Redis Streams and how consumers read them.</summary>
public sealed record RedisStreamsOptions
{
    /// <summary>Stream keys are <c>KeyPrefix + topic</c>, the topic being the event's category by default.</summary>
    public string KeyPrefix { get; init; } = "eventuali:";

    /// <summary>
    /// The bounded length policy: each <c>XADD</c> trims its stream to about this many entries (<c>MAXLEN ~</c>, which
    /// trims whole macro nodes, so a stream may hold somewhat more). Entries trimmed before a consumer group read them are
    /// lost to that group: size it for the longest consumer outage expected.
    /// </summary>
    public long MaxLength { get; init; } = 1_000_000;

    /// <summary>The largest message body published; a larger event fails the batch with an error naming it.</summary>
    public int MaxMessageBytes { get; init; } = 8 * 1024 * 1024;

    /// <summary>How long an entry may stay delivered but unacknowledged before another consumer claims it (<c>XAUTOCLAIM</c>).</summary>
    public TimeSpan ClaimIdleTime { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// A consumer reads new entries only while its group has none pending (read by a consumer, not acknowledged), so a
    /// crashed consumer's entries are claimed and handled before any later one: stream order holds through crashes. It
    /// suits one live consumer per group (as an inbox has); turn it off for several consumers sharing a group, which
    /// give no order between them anyway.
    /// </summary>
    public bool StrictOrder { get; init; } = true;

    /// <summary>Entries read per <c>XREADGROUP</c> or <c>XAUTOCLAIM</c>.</summary>
    public int ReadBatchSize { get; init; } = 100;

    /// <summary>How long a consumer waits before reading again when nothing was new.</summary>
    public TimeSpan PollInterval { get; init; } = TimeSpan.FromMilliseconds(50);

    internal string StreamKey(string topic) => KeyPrefix + topic;

    internal string DeadLetterKey(string group) => KeyPrefix + "dead:" + group;

    internal void Validate()
    {
        if (MaxLength < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(MaxLength), MaxLength, "The Redis stream's maximum length must be at least 1.");
        }

        if (MaxMessageBytes < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(MaxMessageBytes), MaxMessageBytes, "The largest Redis message must be at least 1 byte.");
        }

        if (ReadBatchSize < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(ReadBatchSize), ReadBatchSize, "The Redis read batch size must be at least 1.");
        }
    }
}

/// <summary>The field names of a relayed event in its Redis stream entry.</summary>
public static class RedisStreamFields
{
    /// <summary>The message id: the event id.</summary>
    public const string MessageId = "id";

    /// <summary>The ordering key: the stream id.</summary>
    public const string Key = "key";

    /// <summary>The payload, unchanged.</summary>
    public const string Body = "body";

    /// <summary>Put before each header's name (<c>h:eventuali-type</c>, ...).</summary>
    public const string HeaderPrefix = "h:";

    /// <summary>Why a dead letter was parked.</summary>
    public const string DeadLetterReason = "reason";
}
