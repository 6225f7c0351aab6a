using Eventuali.Messaging;

namespace Eventuali.RelayBench;

/// <summary>The consuming side every broker shares: the handler runs, then the message is acknowledged.</summary>
internal static class Consumer
{
    public static async Task RunAsync(IMessageSource source, Action<InboundMessage> handler, CancellationToken ct)
    {
        await using (source.ConfigureAwait(false))
        {
            try
            {
                await foreach (var received in source.ReceiveAsync(ct).ConfigureAwait(false))
                {
                    handler(received.Message);
                    await received.AckAsync(ct).ConfigureAwait(false);
                }
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                // The run is over.
            }
        }
    }
}
