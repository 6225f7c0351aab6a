using System.Runtime.CompilerServices;

namespace Eventuali.Subscriptions;

/// <summary>
/// Catch-up subscriptions as async streams: read the store from a checkpoint in large pages, then wait for the
/// store's append signal (<see cref="IAppendNotifications"/>) and read again. Catching up and going live are the
/// same loop, so the switch can neither lose nor repeat an event: every read starts just after the last event
/// delivered. The enumeration ends only when cancelled (it then throws <see cref="OperationCanceledException"/>).
/// </summary>
public static class SubscriptionExtensions
{
    /// <summary>How often a store without <see cref="IAppendNotifications"/> is polled.</summary>
    public static readonly TimeSpan DefaultPollInterval = TimeSpan.FromMilliseconds(100);

    /// <summary>
    /// Catch-up from the global log, then live: yields every event with Position &gt; <paramref name="afterPosition"/>
    /// that matches <paramref name="filter"/>, in position order, never skipping, never ending until cancelled.
    /// </summary>
    public static IAsyncEnumerable<RecordedEvent> SubscribeToAllAsync(this IEventStore store, long afterPosition = 0, EventFilter? filter = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentOutOfRangeException.ThrowIfNegative(afterPosition);
        return AllAsync(store, afterPosition, filter, cancellationToken);
    }

    /// <summary>
    /// Catch-up from one stream, then live: yields every event of <paramref name="streamId"/> with
    /// StreamVersion &gt; <paramref name="afterVersion"/>, in version order, never ending until cancelled.
    /// A stream that does not exist yet is waited for.
    /// </summary>
    public static IAsyncEnumerable<RecordedEvent> SubscribeToStreamAsync(this IEventStore store, string streamId, long afterVersion = 0, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(store);
        AppendValidation.ValidateStreamId(streamId);
        ArgumentOutOfRangeException.ThrowIfNegative(afterVersion);
        return StreamAsync(store, streamId, afterVersion, cancellationToken);
    }

    /// <summary>The store's checkpoints; throws <see cref="NotSupportedException"/> naming the store type when it keeps none.</summary>
    public static ICheckpointStore GetCheckpointStore(this IEventStore store)
    {
        ArgumentNullException.ThrowIfNull(store);
        return store as ICheckpointStore
            ?? throw new NotSupportedException($"The store type {store.GetType().FullName} does not keep checkpoints (it does not implement {nameof(ICheckpointStore)}).");
    }

    private static async IAsyncEnumerable<RecordedEvent> AllAsync(IEventStore store, long afterPosition, EventFilter? filter, [EnumeratorCancellation] CancellationToken ct)
    {
        var signals = store as IAppendNotifications;
        var poll = signals?.PollInterval ?? DefaultPollInterval;
        var position = afterPosition;
        while (true)
        {
            // Taken before the read: an append committed while reading completes it, so the wait below cannot miss it.
            var signal = signals?.NextAppendSignal();

            // A filtered read returns matches only; the head taken first tells how far it has certainly looked.
            var scanned = filter is null ? 0 : await store.GetHeadPositionAsync(ct).ConfigureAwait(false);
            await foreach (var e in store.ReadAllAsync(position + 1, int.MaxValue, filter, ct).ConfigureAwait(false))
            {
                position = e.Position;
                yield return e;
            }

            position = Math.Max(position, scanned);
            await WaitAsync(signal, poll, ct).ConfigureAwait(false);
        }
    }

    private static async IAsyncEnumerable<RecordedEvent> StreamAsync(IEventStore store, string streamId, long afterVersion, [EnumeratorCancellation] CancellationToken ct)
    {
        var signals = store as IAppendNotifications;
        var poll = signals?.PollInterval ?? DefaultPollInterval;
        var version = afterVersion;
        while (true)
        {
            var signal = signals?.NextAppendSignal();
            await foreach (var e in store.ReadStreamAsync(streamId, version + 1, int.MaxValue, ReadDirection.Forward, ct).ConfigureAwait(false))
            {
                version = e.StreamVersion;
                yield return e;
            }

            await WaitAsync(signal, poll, ct).ConfigureAwait(false);
        }
    }

    /// <summary>Until the signal, the poll interval, or cancellation (which throws).</summary>
    internal static async ValueTask WaitAsync(Task? signal, TimeSpan poll, CancellationToken ct)
    {
        if (signal is null)
        {
            await Task.Delay(poll, ct).ConfigureAwait(false);
            return;
        }

        if (!signal.IsCompleted)
        {
            await signal.WaitAsync(poll, ct).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }

        ct.ThrowIfCancellationRequested();
    }
}
