namespace Eventuali.Messaging.Kafka.Tests;

/// <summary>Publishes, then "crashes" the relay (cancels it) before it can move its checkpoint.</summary>
internal sealed class CrashAfterPublish(IMessagePublisher inner, CancellationTokenSource crash) : IMessagePublisher
{
    public string Broker => inner.Broker;

    public async ValueTask PublishAsync(IReadOnlyList<OutboundMessage> messages, CancellationToken cancellationToken = default)
    {
        await inner.PublishAsync(messages, cancellationToken);
        await crash.CancelAsync();
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
