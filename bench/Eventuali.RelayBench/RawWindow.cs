namespace Eventuali.RelayBench;

/// <summary>The raw loops' window: batches sent one after another, at most <c>window</c> of them not yet acknowledged.</summary>
internal static class RawWindow
{
    /// <summary>
    /// Calls <paramref name="send"/> for each batch (start, count), which sends it and returns its acknowledgement;
    /// waits for the oldest acknowledgement whenever <paramref name="window"/> batches are out, and for all at the end.
    /// </summary>
    public static async Task RunAsync(int count, int batchSize, int window, Func<int, int, Task> send)
    {
        var outstanding = new Queue<Task>(window);
        for (var start = 0; start < count; start += batchSize)
        {
            if (outstanding.Count == window)
            {
                await outstanding.Dequeue().ConfigureAwait(false);
            }

            outstanding.Enqueue(send(start, Math.Min(batchSize, count - start)));
        }

        while (outstanding.TryDequeue(out var acked))
        {
            await acked.ConfigureAwait(false);
        }
    }
}
