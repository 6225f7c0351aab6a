using System.Runtime.CompilerServices;
using Eventuali.Diagnostics;

namespace Eventuali.Subscriptions;

/// <summary>
/// A running, handler-based catch-up subscription: starts after its stored checkpoint, calls the handler for each
/// event in order (one at a time, on the thread pool), saves its checkpoint as <see cref="SubscriptionOptions"/>
/// says, and goes live once caught up. Delivery is at-least-once.
/// Stop it by cancelling the token given at start, <see cref="StopAsync"/> or disposing it: it then saves what it
/// handled and <see cref="Completion"/> completes. If the handler throws, the subscription stops, saves the
/// checkpoint of the events handled before, and <see cref="Completion"/> faults with
/// <see cref="SubscriptionFailedException"/> (awaiting the subscription rethrows it): nothing is skipped silently.
/// Transient store errors are retried as <see cref="SubscriptionOptions.Retry"/> says, from the last event handled; a
/// permanent one, or the retry budget used up, faults it with a <see cref="StoreRetryException"/> (the attempts made) inside.
/// </summary>
public sealed class CatchUpSubscription : IAsyncDisposable
{
    private readonly IEventStore _store;
    private readonly ICheckpointStore _checkpoints;
    private readonly SubscriptionOptions _options;
    private readonly Func<RecordedEvent, CancellationToken, ValueTask> _handler;
    private readonly CancellationTokenSource _stop;
    private readonly TimeProvider _clock;
    private readonly StoreRetry _readRetry;
    private readonly StoreRetry _saveRetry;
    private long _position;
    private long _checkpoint = -1;
    private long _head;
    private long _handled;
    private long _lagTicks;
    private int _state;
    private Exception? _error;
    private long _unsaved;
    private long _lastSave;
    private int _disposed;
    private RecordedEvent? _last;
    private RecordedEvent? _lagMeasured;
    private ConsumerLag? _lag;

    internal CatchUpSubscription(IEventStore store, SubscriptionOptions options, Func<RecordedEvent, CancellationToken, ValueTask> handler, CancellationToken cancellationToken)
    {
        _store = store;
        _checkpoints = store.GetCheckpointStore();
        _options = options;
        _handler = handler;
        _clock = options.TimeProvider ?? store.Options.TimeProvider;
        _readRetry = SubscriptionExtensions.NewRetry(store, options.Retry, $"Subscription '{options.Name}' reading the log", _clock);
        _saveRetry = SubscriptionExtensions.NewRetry(store, options.Retry, $"Subscription '{options.Name}' saving its checkpoint", _clock);
        _stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        Completion = Task.Run(() => RunAsync(_stop.Token), CancellationToken.None);
    }

    /// <summary>The subscription's name (it keys the stored checkpoint).</summary>
    public string Name => _options.Name;

    /// <summary>Completes when the subscription has stopped cleanly; faults with <see cref="SubscriptionFailedException"/> when it failed.</summary>
    public Task Completion { get; }

    /// <summary>Where the subscription is now: state, position and lag.</summary>
    public SubscriptionStatus Status => new(
        Name,
        (SubscriptionState)Volatile.Read(ref _state),
        Volatile.Read(ref _position),
        Volatile.Read(ref _checkpoint) is var c and >= 0 ? c : null,
        Volatile.Read(ref _head),
        Volatile.Read(ref _handled),
        TimeSpan.FromTicks(Volatile.Read(ref _lagTicks)),
        Volatile.Read(ref _error));

    /// <summary>Awaiting the subscription awaits <see cref="Completion"/>.</summary>
    public TaskAwaiter GetAwaiter() => Completion.GetAwaiter();

    /// <summary>Stops after the event being handled (its handler sees cancellation), saves the checkpoint, and waits; does not rethrow a failure.</summary>
    public async ValueTask StopAsync()
    {
        if (Volatile.Read(ref _disposed) == 0)
        {
            await _stop.CancelAsync().ConfigureAwait(false);
        }

        await Completion.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await StopAsync().ConfigureAwait(false);
        if (Interlocked.Exchange(ref _disposed, 1) == 0)
        {
            _stop.Dispose();
        }
    }

    private async Task RunAsync(CancellationToken ct)
    {
        RecordedEvent? current = null;
        ConsumerTelemetry.Detach();
        using var lag = _lag = ConsumerLag.Start(ConsumerKind.Subscription, Name);
        try
        {
            var stored = await _saveRetry.RunAsync(c => _checkpoints.LoadCheckpointAsync(Name, c), ct).ConfigureAwait(false);
            var start = stored ?? _options.StartAfter;
            Interlocked.Exchange(ref _checkpoint, stored ?? -1);
            Interlocked.Exchange(ref _position, start);
            _lastSave = _clock.GetTimestamp();
            SetState(SubscriptionState.CatchingUp);
            var events = _options.StreamId is { } stream
                ? CatchUp.StreamAsync(_store, stream, start, CaughtUpAsync, _readRetry, ct)
                : CatchUp.AllAsync(_store, start, _options.Filter, CaughtUpAsync, _readRetry, ct);
            await foreach (var e in events.ConfigureAwait(false))
            {
                current = e;
                using (var span = ConsumerTelemetry.StartOne(EventualiOperations.Deliver, EventualiAttributes.SubscriptionName, Name, e))
                {
                    try
                    {
                        await _handler(e, ct).ConfigureAwait(false);
                    }
                    catch (Exception ex)
                    {
                        ConsumerTelemetry.Fail(span, ex);
                        throw;
                    }
                }

                current = null;
                Handled(e);

                // The clock is read every 64 events only: a catch-up handles hundreds of thousands per second.
                if (_unsaved >= _options.CheckpointEvery || ((_unsaved & 63) == 0 && UpdateLag() && IntervalElapsed()))
                {
                    await SaveAsync(ct).ConfigureAwait(false);
                }
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            // A clean stop: the event being handled (if any) was not finished and stays after the checkpoint.
            await SaveOnExitAsync(null).ConfigureAwait(false);
            SetState(SubscriptionState.Stopped);
            return;
        }
        catch (Exception ex) when (ex is not SubscriptionFailedException)
        {
            Volatile.Write(ref _error, ex);
            await SaveOnExitAsync(ex).ConfigureAwait(false);
            SetState(SubscriptionState.Faulted);
            throw new SubscriptionFailedException(Name, current, ex);
        }
    }

    // One writer (this loop) for these fields; readers of Status see whole 64-bit values.
    private void Handled(RecordedEvent e)
    {
        Volatile.Write(ref _position, _options.StreamId is null ? e.Position : e.StreamVersion);
        Volatile.Write(ref _handled, _handled + 1);
        _unsaved++;
        _last = e;
    }

    // Measured once per event, close to when it was handled: an idle subscription's lag does not grow.
    private bool UpdateLag()
    {
        if (_last is { } e && !ReferenceEquals(e, _lagMeasured))
        {
            _lagMeasured = e;
            Volatile.Write(ref _lagTicks, Math.Max(0, (_clock.GetUtcNow() - e.Timestamp).Ticks));
        }

        _lag?.Set(Volatile.Read(ref _head) - Volatile.Read(ref _position), TimeSpan.FromTicks(Volatile.Read(ref _lagTicks)));

        return true;
    }

    // Runs on the loop between events, once everything readable is handled: live from here on.
    private async ValueTask CaughtUpAsync(long scanned)
    {
        UpdateLag();
        var previous = Interlocked.Exchange(ref _position, Math.Max(Volatile.Read(ref _position), scanned));
        Interlocked.Exchange(ref _head, Volatile.Read(ref _position));
        _lag?.Set(0, TimeSpan.FromTicks(Volatile.Read(ref _lagTicks)));
        SetState(SubscriptionState.Live);

        // A filter may pass over many events without handling one: save that progress too, but not on every round.
        var passedOver = Volatile.Read(ref _position) > Math.Max(previous, Volatile.Read(ref _checkpoint));
        if (_unsaved > 0 || (passedOver && IntervalElapsed()))
        {
            await SaveAsync(_stop.Token).ConfigureAwait(false);
        }
    }

    private bool IntervalElapsed()
        => _options.CheckpointInterval != Timeout.InfiniteTimeSpan && _clock.GetElapsedTime(_lastSave) >= _options.CheckpointInterval;

    private async ValueTask SaveAsync(CancellationToken ct)
    {
        var position = Volatile.Read(ref _position);

        // Saving the same position again is harmless, so a dropped connection is retried like a read.
        await _saveRetry.RunAsync(c => _checkpoints.SaveCheckpointAsync(Name, position, c), ct).ConfigureAwait(false);
        Interlocked.Exchange(ref _checkpoint, position);
        _unsaved = 0;
        _lastSave = _clock.GetTimestamp();
        if (_options.StreamId is null && Volatile.Read(ref _state) == (int)SubscriptionState.CatchingUp)
        {
            Interlocked.Exchange(ref _head, await _saveRetry.RunAsync(c => _store.GetHeadPositionAsync(c), ct).ConfigureAwait(false));
        }
    }

    // On the way out, keep what was handled; a failing save must not hide why the subscription stopped.
    private async ValueTask SaveOnExitAsync(Exception? cause)
    {
        if (Volatile.Read(ref _position) == Volatile.Read(ref _checkpoint))
        {
            return;
        }

        try
        {
            await _checkpoints.SaveCheckpointAsync(Name, Volatile.Read(ref _position), CancellationToken.None).ConfigureAwait(false);
            Interlocked.Exchange(ref _checkpoint, Volatile.Read(ref _position));
            _unsaved = 0;
        }
        catch (Exception ex) when (cause is not null || ex is EventualiException or InvalidOperationException or ObjectDisposedException)
        {
            Volatile.Write(ref _error, cause ?? ex);
        }
    }

    private void SetState(SubscriptionState state)
    {
        // Stopped and Faulted are final.
        var seen = Volatile.Read(ref _state);
        while (seen < (int)SubscriptionState.Stopped && Interlocked.CompareExchange(ref _state, (int)state, seen) is var now && now != seen)
        {
            seen = now;
        }
    }
}
