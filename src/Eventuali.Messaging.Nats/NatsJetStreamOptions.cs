namespace Eventuali.Messaging.Nats;

/// <summary>Where relayed events go in NATS JetStream.</summary>
public sealed record NatsJetStreamOptions
{
    /// <summary>The JetStream stream that stores the messages (created when missing), capturing <c>SubjectPrefix.&gt;</c>.</summary>
    public string StreamName { get; init; } = "EVENTUALI";

    /// <summary>Subjects are <c>SubjectPrefix.topic</c>, the topic being the event's category by default.</summary>
    public string SubjectPrefix { get; init; } = "eventuali";

    /// <summary>The window in which JetStream drops a second message with the same <c>Nats-Msg-Id</c> (the event id).</summary>
    public TimeSpan DuplicateWindow { get; init; } = TimeSpan.FromMinutes(2);

    /// <summary>The stream dead letters go to (created when missing), on subject <c>SubjectPrefix-dead.consumer</c>.</summary>
    public string DeadLetterStreamName { get; init; } = "EVENTUALI_DEAD";

    /// <summary>How long a delivered message may stay unacknowledged before JetStream delivers it again.</summary>
    public TimeSpan AckWait { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>How long a batch may wait for its acks (the server down, reconnecting) before it counts as failed.</summary>
    public TimeSpan PublishTimeout { get; init; } = TimeSpan.FromSeconds(10);

    internal string Subject(string topic)
    {
        var chars = topic.ToCharArray();
        for (var i = 0; i < chars.Length; i++)
        {
            // '.', '*', '>' and whitespace have a meaning in subjects: a category keeps one token.
            if (chars[i] is '.' or '*' or '>' || char.IsWhiteSpace(chars[i]))
            {
                chars[i] = '_';
            }
        }

        return SubjectPrefix + "." + new string(chars);
    }

    internal string DeadLetterSubject(string consumer) => SubjectPrefix + "-dead." + consumer;
}
