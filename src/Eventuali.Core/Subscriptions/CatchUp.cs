using System.Runtime.CompilerServices;

namespace Eventuali.Subscriptions;

/// <summary>
/// The one catch-up/live loop behind every subscription. Each round takes the store's append signal, reads
/// from just after the last event delivered in large pages (the store pages; nothing is buffered whole), and
/// then waits for the signal or the poll interval. Catching up and live are the same rounds, so the switch can
/// neither lose nor repeat an event. <c>caughtUp</c> runs when a round has delivered everything it found and
/// the consumer has handled it (the place to save a checkpoint), before waiting.
/// </summary>
internal static class CatchUp
{
    public static async IAsyncEnumerable<RecordedEvent> AllAsync(IEventStore store, long afterPosition, EventFilter? filter, Func<long, ValueTask>? caughtUp, [EnumeratorCancellation] CancellationToken ct)
    {
        var signals = store.GetFeature<IAppendNotifications>();
        var poll = signals?.PollInterval ?? SubscriptionExtensions.DefaultPollInterval;
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
            if (caughtUp is not null)
            {
                await caughtUp(position).ConfigureAwait(false);
            }

            await WaitAsync(signal, poll, ct).ConfigureAwait(false);
        }
    }

    public static async IAsyncEnumerable<RecordedEvent> StreamAsync(IEventStore store, string streamId, long afterVersion, Func<long, ValueTask>? caughtUp, [EnumeratorCancellation] CancellationToken ct)
    {
        var signals = store.GetFeature<IAppendNotifications>();
        var poll = signals?.PollInterval ?? SubscriptionExtensions.DefaultPollInterval;
        var version = afterVersion;
        while (true)
        {
            var signal = signals?.NextAppendSignal();
            await foreach (var e in store.ReadStreamAsync(streamId, version + 1, int.MaxValue, ReadDirection.Forward, ct).ConfigureAwait(false))
            {
                version = e.StreamVersion;
                yield return e;
            }

            if (caughtUp is not null)
            {
                await caughtUp(version).ConfigureAwait(false);
            }

            await WaitAsync(signal, poll, ct).ConfigureAwait(false);
        }
    }

    /// <summary>Until the signal, the poll interval, or cancellation (which throws).</summary>
    private static async ValueTask WaitAsync(Task? signal, TimeSpan poll, CancellationToken ct)
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
