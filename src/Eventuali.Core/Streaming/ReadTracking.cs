using System.Runtime.CompilerServices;

namespace Eventuali.Streaming;

/// <summary>
/// One read followed from its first fetch to its end: the events it handed out counted and the error it ended with
/// kept, for the audit hook and telemetry alike. A read never enumerated runs neither callback.
/// </summary>
internal static class ReadTracking
{
    /// <summary>
    /// <paramref name="source"/>; <paramref name="start"/> runs at the first fetch, <paramref name="end"/> once the
    /// reader finished, failed or stopped early (after the source is disposed), with the count and the error.
    /// </summary>
    public static async IAsyncEnumerable<RecordedEvent> Track<TState>(
        IAsyncEnumerable<RecordedEvent> source,
        Func<TState> start,
        Func<TState, long, Exception?, ValueTask> end,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var state = start();
        var count = 0L;
        Exception? error = null;
        var reader = source.GetAsyncEnumerator(cancellationToken);
        try
        {
            while (true)
            {
                try
                {
                    if (!await reader.MoveNextAsync().ConfigureAwait(false))
                    {
                        break;
                    }
                }
                catch (Exception ex)
                {
                    error = ex;
                    throw;
                }

                count++;
                yield return reader.Current;
            }
        }
        finally
        {
            await reader.DisposeAsync().ConfigureAwait(false);
            await end(state, count, error).ConfigureAwait(false);
        }
    }
}
