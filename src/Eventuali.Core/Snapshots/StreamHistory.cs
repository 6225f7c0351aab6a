using System.Runtime.CompilerServices;
using Eventuali.Lifecycle;

namespace Eventuali.Snapshots;

/// <summary>
/// Reads a stream's versions [from, to] for a load: hot events, plus archived ones when the hot read starts above
/// <c>from</c>. The archive is asked only then, so a load of a never-archived stream costs one read.
/// </summary>
internal static class StreamHistory
{
    public static async IAsyncEnumerable<RecordedEvent> ReadAsync(IEventStore store, string streamId, long from, long to, [EnumeratorCancellation] CancellationToken ct)
    {
        RecordedEvent? firstHot = null;
        var hot = store.ReadStreamAsync(streamId, from, Count(from, to), cancellationToken: ct).ConfigureAwait(false).GetAsyncEnumerator();
        try
        {
            if (await hot.MoveNextAsync())
            {
                firstHot = hot.Current;
                if (firstHot.StreamVersion == from || store is not IStreamLifecycle)
                {
                    yield return firstHot;
                    while (await hot.MoveNextAsync())
                    {
                        yield return hot.Current;
                    }

                    yield break;
                }
            }
        }
        finally
        {
            await hot.DisposeAsync();
        }

        if (store is not IStreamLifecycle life)
        {
            yield break;
        }

        // Versions below the first hot one may be archived (archived versions are always below hot ones).
        var archiveTo = firstHot is null ? to : firstHot.StreamVersion - 1;
        await foreach (var e in life.ReadArchivedStreamAsync(streamId, from, Count(from, archiveTo), cancellationToken: ct).ConfigureAwait(false))
        {
            yield return e;
        }

        if (firstHot is null)
        {
            yield break;
        }

        await foreach (var e in store.ReadStreamAsync(streamId, firstHot.StreamVersion, Count(firstHot.StreamVersion, to), cancellationToken: ct).ConfigureAwait(false))
        {
            yield return e;
        }
    }

    private static int Count(long from, long to) => to == long.MaxValue ? int.MaxValue : (int)Math.Clamp(to - from + 1, 0, int.MaxValue);
}
