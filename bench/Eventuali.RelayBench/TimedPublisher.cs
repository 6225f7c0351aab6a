using System.Diagnostics;
using Eventuali.Messaging;

namespace Eventuali.RelayBench;

/// <summary>
/// The relay's publisher with the time each message's batch was confirmed noted, so a latency splits into the relay's
/// part (commit to broker confirm) and the delivery's (confirm to handler).
/// </summary>
internal sealed class TimedPublisher(IMessagePublisher inner, long[] confirmed) : IMessagePublisher
{
    public string Broker => inner.Broker;

    public async ValueTask PublishAsync(IReadOnlyList<OutboundMessage> messages, CancellationToken cancellationToken = default)
        => await (await SendAsync(messages, cancellationToken).ConfigureAwait(false)).ConfigureAwait(false);

    public async ValueTask<Task> SendAsync(IReadOnlyList<OutboundMessage> messages, CancellationToken cancellationToken = default)
        => NoteAsync(await inner.SendAsync(messages, cancellationToken).ConfigureAwait(false), messages);

    private async Task NoteAsync(Task batch, IReadOnlyList<OutboundMessage> messages)
    {
        await batch.ConfigureAwait(false);
        var now = Stopwatch.GetTimestamp();
        foreach (var m in messages)
        {
            var n = Workload.NumberOf(m.Body.Span);
            if (n < confirmed.Length && confirmed[n] == 0)
            {
                confirmed[n] = now;
            }
        }
    }

    public ValueTask DisposeAsync() => inner.DisposeAsync();
}
