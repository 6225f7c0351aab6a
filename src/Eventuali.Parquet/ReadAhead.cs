using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using System.Threading.Channels;

namespace Eventuali.Parquet;

/// <summary>
/// Reads the log on a thread-pool thread in batches while the export fills columns from the previous batch: a backend's
/// page read runs synchronously inside MoveNextAsync, and reading (materialising every event) is the larger half of
/// the reading side's work, which was the export's critical path. At most <see cref="Depth"/> batches wait; their
/// lists are reused.
/// </summary>
internal static class ReadAhead
{
    private const int BatchSize = 1024;
    private const int Depth = 4;

    /// <summary>The events of <paramref name="source"/> up to <paramref name="lastPosition"/>, in batches; a batch is valid until the next is requested.</summary>
    public static async IAsyncEnumerable<List<RecordedEvent>> BatchesAsync(IAsyncEnumerable<RecordedEvent> source, long lastPosition, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var full = Channel.CreateBounded<List<RecordedEvent>>(new BoundedChannelOptions(Depth) { SingleReader = true, SingleWriter = true });
        var free = new ConcurrentQueue<List<RecordedEvent>>();
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var producer = Task.Run(
            async () =>
            {
                try
                {
                    var batch = new List<RecordedEvent>(BatchSize);
                    await foreach (var e in source.WithCancellation(stop.Token).ConfigureAwait(false))
                    {
                        if (e.Position > lastPosition)
                        {
                            break;
                        }

                        batch.Add(e);
                        if (batch.Count == BatchSize)
                        {
                            await full.Writer.WriteAsync(batch, stop.Token).ConfigureAwait(false);
                            batch = free.TryDequeue(out var reused) ? reused : new List<RecordedEvent>(BatchSize);
                        }
                    }

                    if (batch.Count > 0)
                    {
                        await full.Writer.WriteAsync(batch, stop.Token).ConfigureAwait(false);
                    }

                    full.Writer.Complete();
                }
                catch (Exception ex)
                {
                    full.Writer.Complete(ex);
                }
            },
            CancellationToken.None);
        try
        {
            while (await full.Reader.WaitToReadAsync(cancellationToken).ConfigureAwait(false))
            {
                while (full.Reader.TryRead(out var batch))
                {
                    yield return batch;
                    batch.Clear();
                    free.Enqueue(batch);
                }
            }
        }
        finally
        {
            // Done, failed or cancelled: stop the reader and wait for it, so no read outlives the export.
            await stop.CancelAsync().ConfigureAwait(false);
            await producer.ConfigureAwait(false);
        }
    }
}
