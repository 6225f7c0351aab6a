namespace Eventuali.Messaging;

/// <summary>
/// Publishes to one broker. An adapter (NATS, Redis, RabbitMQ, Kafka, ...) is one small project implementing this and
/// <see cref="IMessageSource"/>.
/// </summary>
public interface IMessagePublisher : IAsyncDisposable
{
    /// <summary>A short name of the broker for status and errors ("nats", "redis", ...).</summary>
    string Broker { get; }

    /// <summary>
    /// Publishes <paramref name="messages"/> and returns only when the broker has confirmed every one of them (stored
    /// durably as the adapter documents). Throws when any was not confirmed: the relay then publishes the whole batch
    /// again, which is safe because each message carries its event id for the broker's or the consumer's deduplication.
    /// Messages of one stream are given in stream order and must reach the broker in that order.
    /// </summary>
    ValueTask PublishAsync(IReadOnlyList<OutboundMessage> messages, CancellationToken cancellationToken = default);

    /// <summary>
    /// Sends <paramref name="messages"/> ahead of any later call's and returns, once they are sent, their confirmation:
    /// a task that completes when the broker confirmed every one, or fails as <see cref="PublishAsync"/> would throw.
    /// A relay keeps several batches outstanding this way (<see cref="RelayOptions.MaxBatchesInFlight"/>), calling it
    /// for the next batch only after the previous call returned, so consecutive batches reach the broker in order.
    /// The default publishes and confirms before returning: an adapter that does not override it has one batch in flight.
    /// </summary>
    async ValueTask<Task> SendAsync(IReadOnlyList<OutboundMessage> messages, CancellationToken cancellationToken = default)
    {
        await PublishAsync(messages, cancellationToken).ConfigureAwait(false);
        return Task.CompletedTask;
    }
}

/// <summary>Receives from one broker with explicit acknowledgement.</summary>
public interface IMessageSource : IAsyncDisposable
{
    /// <summary>
    /// Messages as the broker delivers them, until cancelled. A message not acknowledged (the consumer crashed) is
    /// delivered again, so a consumer handles each through an inbox (<see cref="MessageInbox"/>).
    /// </summary>
    IAsyncEnumerable<ReceivedMessage> ReceiveAsync(CancellationToken cancellationToken = default);
}

/// <summary>A delivered message with its acknowledgement.</summary>
public abstract class ReceivedMessage
{
    /// <summary>The message.</summary>
    public abstract InboundMessage Message { get; }

    /// <summary>How many times the broker has delivered it (1 the first time), when the broker says.</summary>
    public abstract int DeliveryCount { get; }

    /// <summary>Acknowledges it: the broker will not deliver it again.</summary>
    public abstract ValueTask AckAsync(CancellationToken cancellationToken = default);

    /// <summary>Parks it where the adapter keeps dead letters, with <paramref name="reason"/>, and acknowledges it.</summary>
    public abstract ValueTask DeadLetterAsync(string reason, CancellationToken cancellationToken = default);
}

/// <summary>
/// The broker refused the adapter's configuration (a stream whose subjects overlap another's, a setting it rejects):
/// retrying cannot help, so a relay stops with this error instead of pausing and retrying.
/// </summary>
public sealed class BrokerConfigurationException : Exception
{
    /// <summary>Creates the exception with a message naming what the broker refused (never a secret).</summary>
    public BrokerConfigurationException(string message, Exception? innerException = null)
        : base(message, innerException)
    {
    }
}
