using Eventuali.Messaging;

namespace Eventuali.RelayBench;

/// <summary>The consuming side every broker shares: the handler runs, then the message is acknowledged.</summary>
internal static class Consumer
{
    /// <summary>
    /// Handles and acknowledges every delivery until cancelled. With <paramref name="ackWindow"/> above 1, up to that many
    /// acknowledgements are in flight while the next messages are handled (for a broker whose ack waits for a reply).
    /// </summary>
    public static async Task RunAsync(IMessageSource source, Action<InboundMessage> handler, CancellationToken ct, int ackWindow = 1)
    {
        var acks = new Queue<Task>();
        await using (source.ConfigureAwait(false))
        {
            try
            {
                await foreach (var received in source.ReceiveAsync(ct).ConfigureAwait(false))
                {
                    handler(received.Message);
                    acks.Enqueue(received.AckAsync(ct).AsTask());
                    while (acks.Count >= ackWindow || (acks.Count > 0 && acks.Peek().IsCompleted))
                    {
                        await acks.Dequeue().ConfigureAwait(false);
                    }
                }
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                // The run is over.
            }
        }
    }
}
