using System.Runtime.CompilerServices;
using System.Threading.Channels;

namespace Eventuali.Security.Chain;

/// <summary>
/// Reads a source ahead on another thread in batches, so a verifier hashes one page while the next is read (a
/// backend's page read may run synchronously inside MoveNextAsync). At most <c>depth</c> batches wait in memory.
/// </summary>
internal static class Prefetch
{
    private const int BatchSize = 1024;

    public static async IAsyncEnumerable<T> ReadAheadAsync<T>(IAsyncEnumerable<T> source, int depth, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var channel = Channel.CreateBounded<List<T>>(new BoundedChannelOptions(depth) { SingleReader = true, SingleWriter = true });
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var producer = Task.Run(
            async () =>
            {
                try
                {
                    var batch = new List<T>(BatchSize);
                    await foreach (var item in source.WithCancellation(stop.Token).ConfigureAwait(false))
                    {
                        batch.Add(item);
                        if (batch.Count == BatchSize)
                        {
                            await channel.Writer.WriteAsync(batch, stop.Token).ConfigureAwait(false);
                            batch = new List<T>(BatchSize);
                        }
                    }

                    if (batch.Count > 0)
                    {
                        await channel.Writer.WriteAsync(batch, stop.Token).ConfigureAwait(false);
                    }

                    channel.Writer.Complete();
                }
                catch (Exception ex)
                {
                    channel.Writer.Complete(ex);
                }
            },
            CancellationToken.None);
        try
        {
            while (await channel.Reader.WaitToReadAsync(cancellationToken).ConfigureAwait(false))
            {
                while (channel.Reader.TryRead(out var batch))
                {
                    foreach (var item in batch)
                    {
                        yield return item;
                    }
                }
            }
        }
        finally
        {
            // The consumer stopped (done, failed or cancelled): stop the producer and wait for it, so no read outlives the call.
            await stop.CancelAsync().ConfigureAwait(false);
            await producer.ConfigureAwait(false);
        }
    }
}
