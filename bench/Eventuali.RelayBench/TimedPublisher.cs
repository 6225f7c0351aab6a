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
    {
        await inner.PublishAsync(messages, cancellationToken).ConfigureAwait(false);
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
