using System.Runtime.CompilerServices;

namespace Eventuali.Lifecycle;

/// <summary>Access to <see cref="IStreamLifecycle"/> and reads that include archived events.</summary>
public static class LifecycleExtensions
{
    /// <summary>The store as <see cref="IStreamLifecycle"/>; throws <see cref="NotSupportedException"/> naming the store type when it is not one.</summary>
    public static IStreamLifecycle GetStreamLifecycle(this IEventStore store)
    {
        ArgumentNullException.ThrowIfNull(store);
        return store.GetFeature<IStreamLifecycle>()
            ?? throw new NotSupportedException($"The store {store.GetType().FullName} does not support stream lifecycle operations (IStreamLifecycle).");
    }

    /// <summary>
    /// Reads a stream as if nothing had been archived: archived events, then hot ones (backward: the reverse).
    /// Archived versions are always below hot ones, so the result is in version order. Truncated events are gone for good.
    /// </summary>
    public static async IAsyncEnumerable<RecordedEvent> ReadStreamWithArchiveAsync(this IEventStore store, string streamId, long fromVersion = StreamVersion.Start, int maxCount = int.MaxValue, ReadDirection direction = ReadDirection.Forward, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var lifecycle = store.GetStreamLifecycle();
        ArgumentOutOfRangeException.ThrowIfNegative(maxCount);
        var remaining = maxCount;
        var forward = direction == ReadDirection.Forward;
        var next = fromVersion;
        var first = forward
            ? lifecycle.ReadArchivedStreamAsync(streamId, fromVersion, maxCount, direction, cancellationToken)
            : store.ReadStreamAsync(streamId, fromVersion, maxCount, direction, cancellationToken);
        await foreach (var e in first.ConfigureAwait(false))
        {
            remaining--;
            next = forward ? e.StreamVersion + 1 : e.StreamVersion - 1;
            yield return e;
        }

        if (remaining <= 0 || next < 1)
        {
            yield break;
        }

        var second = forward
            ? store.ReadStreamAsync(streamId, next, remaining, direction, cancellationToken)
            : lifecycle.ReadArchivedStreamAsync(streamId, next, remaining, direction, cancellationToken);
        await foreach (var e in second.ConfigureAwait(false))
        {
            yield return e;
        }
    }
}
