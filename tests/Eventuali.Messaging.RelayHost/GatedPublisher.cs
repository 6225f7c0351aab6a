using System.Globalization;
using Eventuali.Messaging;

namespace Eventuali.Messaging.RelayHost;

/// <summary>
/// Publishes through the real adapter; after the broker confirmed the Nth batch it reports the batch's last position
/// and never returns, so the relay cannot move its checkpoint: the parent kills the process in exactly that gap.
/// </summary>
internal sealed class GatedPublisher(IMessagePublisher inner, int stopAfter, TextWriter report) : IMessagePublisher
{
    private int _batches;

    public string Broker => inner.Broker;

    public async ValueTask PublishAsync(IReadOnlyList<OutboundMessage> messages, CancellationToken cancellationToken = default)
    {
        await inner.PublishAsync(messages, cancellationToken);
        if (++_batches == stopAfter)
        {
            await report.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"confirmed {messages[^1].Headers[MessageHeaders.Position]}"));
            await Task.Delay(Timeout.Infinite, cancellationToken);
        }
    }

    public ValueTask DisposeAsync() => inner.DisposeAsync();
}
