using System.Globalization;
using Eventuali.Messaging;

namespace Eventuali.Messaging.RelayHost;

/// <summary>
/// Publishes through the real adapter, with the relay's window of batches in flight; once the broker confirmed the Nth
/// batch it reports the batch's last position and never hands that confirmation on, and no later batch is sent, so the
/// relay cannot move its checkpoint past batch N-1: the parent kills the process in exactly that gap.
/// </summary>
internal sealed class GatedPublisher(IMessagePublisher inner, int stopAfter, TextWriter report) : IMessagePublisher
{
    private int _batches;

    public string Broker => inner.Broker;

    public async ValueTask PublishAsync(IReadOnlyList<OutboundMessage> messages, CancellationToken cancellationToken = default)
        => await await SendAsync(messages, cancellationToken);

    public async ValueTask<Task> SendAsync(IReadOnlyList<OutboundMessage> messages, CancellationToken cancellationToken = default)
    {
        var batch = Interlocked.Increment(ref _batches);
        if (stopAfter > 0 && batch > stopAfter)
        {
            // Past the gate: nothing more reaches the broker before the kill.
            await Task.Delay(Timeout.Infinite, cancellationToken);
        }

        var confirmed = await inner.SendAsync(messages, cancellationToken);
        return batch == stopAfter ? HoldAsync(confirmed, messages[^1], cancellationToken) : confirmed;
    }

    private async Task HoldAsync(Task confirmed, OutboundMessage last, CancellationToken cancellationToken)
    {
        await confirmed;
        await report.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"confirmed {last.Headers[MessageHeaders.Position]}"));
        await Task.Delay(Timeout.Infinite, cancellationToken);
    }

    public ValueTask DisposeAsync() => inner.DisposeAsync();
}
