using System.Runtime.CompilerServices;

namespace Eventuali.Subscriptions;

/// <summary>
/// The one catch-up/live loop behind every subscription. Each round takes the store's append signal, reads
/// from just after the last event delivered in large pages (the store pages; nothing is buffered whole), and
/// then waits for the signal or the poll interval. Catching up and live are the same rounds, so the switch can
/// neither lose nor repeat an event. <c>caughtUp</c> runs when a round has delivered everything it found and
/// the consumer has handled it (the place to save a checkpoint), before waiting.
/// A store error during a round is judged by <see cref="StoreRetry"/>: a transient one backs off and starts the
/// round again from the last event delivered (reading is safe to repeat), anything else ends the enumeration.
/// </summary>
internal static class CatchUp
{
    public static async IAsyncEnumerable<RecordedEvent> AllAsync(IEventStore store, long afterPosition, EventFilter? filter, Func<long, ValueTask>? caughtUp, StoreRetry retry, [EnumeratorCancellation] CancellationToken ct)
    {
        var signals = store.GetFeature<IAppendNotifications>();
        var poll = signals?.PollInterval ?? SubscriptionExtensions.DefaultPollInterval;
        var position = afterPosition;
        while (true)
        {
            // Taken before the read: an append committed while reading completes it, so the wait below cannot miss it.
            var signal = signals?.NextAppendSignal();

            // A filtered read returns matches only; the head taken first tells how far it has certainly looked.
            long scanned;
            try
            {
                scanned = filter is null ? 0 : await store.GetHeadPositionAsync(ct).ConfigureAwait(false);
            }
            catch (Exception ex) when (StoreRetry.Catches(ex, ct))
            {
                await retry.BackOffOrThrowAsync(ex, ct).ConfigureAwait(false);
                continue;
            }

            var reader = store.ReadAllAsync(position + 1, int.MaxValue, filter, ct).GetAsyncEnumerator(ct);
            var failed = false;
            try
            {
                while (await NextAsync(reader, retry, ct).ConfigureAwait(false) is var next && next != Step.End)
                {
                    if (next == Step.Failed)
                    {
                        failed = true;
                        break;
                    }

                    // Progress since the last failure: the next failure starts a fresh count.
                    if (retry.Failures > 0)
                    {
                        retry.Succeeded();
                    }

                    position = reader.Current.Position;
                    yield return reader.Current;
                }
            }
            finally
            {
                await DisposeQuietlyAsync(reader).ConfigureAwait(false);
            }

            if (failed)
            {
                continue;
            }

            retry.Succeeded();
            position = Math.Max(position, scanned);
            if (caughtUp is not null)
            {
                await caughtUp(position).ConfigureAwait(false);
            }

            await WaitAsync(signal, poll, ct).ConfigureAwait(false);
        }
    }

    public static async IAsyncEnumerable<RecordedEvent> StreamAsync(IEventStore store, string streamId, long afterVersion, Func<long, ValueTask>? caughtUp, StoreRetry retry, [EnumeratorCancellation] CancellationToken ct)
    {
        var signals = store.GetFeature<IAppendNotifications>();
        var poll = signals?.PollInterval ?? SubscriptionExtensions.DefaultPollInterval;
        var version = afterVersion;
        while (true)
        {
            var signal = signals?.NextAppendSignal();
            var reader = store.ReadStreamAsync(streamId, version + 1, int.MaxValue, ReadDirection.Forward, ct).GetAsyncEnumerator(ct);
            var failed = false;
            try
            {
                while (await NextAsync(reader, retry, ct).ConfigureAwait(false) is var next && next != Step.End)
                {
                    if (next == Step.Failed)
                    {
                        failed = true;
                        break;
                    }

                    // Progress since the last failure: the next failure starts a fresh count.
                    if (retry.Failures > 0)
                    {
                        retry.Succeeded();
                    }

                    version = reader.Current.StreamVersion;
                    yield return reader.Current;
                }
            }
            finally
            {
                await DisposeQuietlyAsync(reader).ConfigureAwait(false);
            }

            if (failed)
            {
                continue;
            }

            retry.Succeeded();
            if (caughtUp is not null)
            {
                await caughtUp(version).ConfigureAwait(false);
            }

            await WaitAsync(signal, poll, ct).ConfigureAwait(false);
        }
    }

    private enum Step
    {
        Event,
        End,
        Failed,
    }

    /// <summary>The next event; a transient store error has been waited out (Failed: read again), a permanent one throws.</summary>
    private static async ValueTask<Step> NextAsync(IAsyncEnumerator<RecordedEvent> reader, StoreRetry retry, CancellationToken ct)
    {
        try
        {
            return await reader.MoveNextAsync().ConfigureAwait(false) ? Step.Event : Step.End;
        }
        catch (Exception ex) when (StoreRetry.Catches(ex, ct))
        {
            await retry.BackOffOrThrowAsync(ex, ct).ConfigureAwait(false);
            return Step.Failed;
        }
    }

    // A reader whose connection dropped may fail again while closing; the error that counts was already judged.
    private static async ValueTask DisposeQuietlyAsync(IAsyncEnumerator<RecordedEvent> reader)
    {
        try
        {
            await reader.DisposeAsync().ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            _ = ex;
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
