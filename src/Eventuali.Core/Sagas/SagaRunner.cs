using Eventuali.Diagnostics;
using Eventuali.Subscriptions;

namespace Eventuali.Sagas;

/// <summary>
/// Runs one saga: follows the global log from its checkpoint, hands each matching event to the saga, saves state
/// and outbox together, writes the decided appends idempotently, and fires due timeouts with the
/// <see cref="TimeProvider"/>'s timers. Run one runner per saga name at a time. Events are handled a batch at a
/// time (see <c>SagaRunner.Batch.cs</c>); transient store errors are retried as <see cref="SagaRunnerOptions.Retry"/> says.
/// </summary>
public sealed partial class SagaRunner<TState> : IDisposable
    where TState : class, new()
{
    private readonly IEventStore _store;
    private readonly SagaDefinition<TState> _saga;
    private readonly ISagaStore _sagas;
    private readonly ICheckpointStore? _checkpoints;
    private readonly string _checkpointName;
    private readonly TimeProvider _clock;
    private readonly SagaRunnerOptions _options;
    private readonly SemaphoreSlim _turn = new(1, 1);
    private readonly StoreRetry _retry;
    private readonly StoreRetry _timeoutRetry;
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, bool> _relevantTypes = new(StringComparer.Ordinal);
    private TaskCompletionSource _progress = NewSignal();
    private TaskCompletionSource _scheduled = NewSignal();
    private long _position;
    private long _handled;
    private long _fired;
    private long _compensations;

    /// <summary>Creates a runner of <paramref name="saga"/> over <paramref name="store"/>, which must store saga state (<see cref="ISagaStore"/>).</summary>
    public SagaRunner(IEventStore store, SagaDefinition<TState> saga, SagaRunnerOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(saga);
        _options = options ?? new SagaRunnerOptions();
        _store = store;
        _saga = saga;
        _sagas = _options.SagaStore ?? store.GetSagaStore();
        _checkpoints = _options.Checkpoints ?? store.GetFeature<ICheckpointStore>();
        _checkpointName = _options.CheckpointName ?? "saga:" + saga.Name;
        _clock = _options.TimeProvider ?? store.Options.TimeProvider;
        _retry = SubscriptionExtensions.NewRetry(store, _options.Retry, $"Saga '{saga.Name}' handling events", _clock);
        _timeoutRetry = SubscriptionExtensions.NewRetry(store, _options.Retry, $"Saga '{saga.Name}' firing timeouts", _clock);
    }

    /// <summary>The saga this runner runs.</summary>
    public string SagaName => _saga.Name;

    /// <summary>Global position of the last event this runner has dealt with (handled or passed over).</summary>
    public long Position => Volatile.Read(ref _position);

    /// <summary>Events handed to a handler since the runner was created (re-deliveries recognised as handled are not counted).</summary>
    public long HandledEvents => Volatile.Read(ref _handled);

    /// <summary>Timeouts fired since the runner was created.</summary>
    public long FiredTimeouts => Volatile.Read(ref _fired);

    /// <summary>Failure handlers run since the runner was created.</summary>
    public long Compensations => Volatile.Read(ref _compensations);

    /// <summary>
    /// Follows the log and fires timeouts until <paramref name="cancellationToken"/> is cancelled (then throws
    /// <see cref="OperationCanceledException"/>), until a handler fails (then throws its error), or until the store
    /// fails for good: a permanent error, or transient ones past <see cref="SagaRunnerOptions.Retry"/>'s budget (then
    /// throws <see cref="StoreRetryException"/> with the attempts). A restart resumes where the saved state says.
    /// </summary>
    public async Task RunAsync(CancellationToken cancellationToken = default)
    {
        ConsumerTelemetry.Detach();
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var events = FollowLogAsync(stop.Token);
        var timeouts = FireTimeoutsLoopAsync(stop.Token);
        await Task.WhenAny(events, timeouts).ConfigureAwait(false);

        // Whichever loop ends first (failure or cancellation) stops the other; a failure is what is rethrown.
        await stop.CancelAsync().ConfigureAwait(false);
        await Task.WhenAll(events, timeouts).ConfigureAwait(false);
    }

    /// <summary>Completes at the runner's next step (an event dealt with, a timeout fired); for waiting on progress.</summary>
    public Task WaitForProgressAsync(CancellationToken cancellationToken = default)
        => Volatile.Read(ref _progress).Task.WaitAsync(cancellationToken);

    /// <summary>Waits until <see cref="Position"/> reaches <paramref name="position"/>.</summary>
    public async Task WaitForPositionAsync(long position, CancellationToken cancellationToken = default)
    {
        while (true)
        {
            var signal = Volatile.Read(ref _progress).Task;
            if (Position >= position)
            {
                return;
            }

            await signal.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task FollowLogAsync(CancellationToken ct)
    {
        var from = _checkpoints is null ? 0 : await _retry.RunAsync(c => _checkpoints.LoadCheckpointAsync(_checkpointName, c), ct).ConfigureAwait(false) ?? 0;
        Volatile.Write(ref _position, from);
        var batch = new List<RecordedEvent>(MaxBatch);
        var unsaved = 0;

        // A batch is dealt with when full, and whenever a read of the log has delivered all it found (caughtUp).
        async ValueTask DealWithBatchAsync()
        {
            if (batch.Count == 0)
            {
                return;
            }

            var last = batch[^1].Position;
            var pending = Matching(batch);
            var handled = await _retry.RunAsync(async c => await HandleBatchAsync(pending, c).ConfigureAwait(false), ct).ConfigureAwait(false);
            unsaved += batch.Count;
            if (_checkpoints is not null && (handled > 0 || unsaved >= _options.CheckpointEvery))
            {
                await _retry.RunAsync(c => _checkpoints.SaveCheckpointAsync(_checkpointName, last, c), ct).ConfigureAwait(false);
                unsaved = 0;
            }

            batch.Clear();
            Volatile.Write(ref _position, last);
            Signal();
        }

        var readRetry = SubscriptionExtensions.NewRetry(_store, _options.Retry, $"Saga '{_saga.Name}' reading the log", _clock);
        await foreach (var e in CatchUp.AllAsync(_store, from, null, _ => DealWithBatchAsync(), readRetry, ct).ConfigureAwait(false))
        {
            batch.Add(e);
            if (batch.Count >= MaxBatch)
            {
                await DealWithBatchAsync().ConfigureAwait(false);
            }
        }
    }

    private async Task FireTimeoutsLoopAsync(CancellationToken ct)
    {
        while (true)
        {
            try
            {
                await FireTimeoutsOnceAsync(ct).ConfigureAwait(false);
                _timeoutRetry.Succeeded();
            }
            catch (Exception ex) when (StoreRetry.Catches(ex, ct))
            {
                // Firing is safe to repeat: a timeout is removed with its decision, or replays its saved outbox.
                await _timeoutRetry.BackOffOrThrowAsync(ex, ct).ConfigureAwait(false);
            }
        }
    }

    /// <inheritdoc />
    private async Task FireTimeoutsOnceAsync(CancellationToken ct)
    {
        ct.ThrowIfCancellationRequested();
        // A fresh signal before looking, so a timeout scheduled after the look wakes this wait.
        var signal = NewSignal();
        Volatile.Write(ref _scheduled, signal);
        var scheduled = signal.Task;
        await FireDueTimeoutsAsync(ct).ConfigureAwait(false);
        var next = await _sagas.GetNextTimeoutDueAsync(_saga.Name, ct).ConfigureAwait(false);
        if (next is null)
        {
            await scheduled.WaitAsync(ct).ConfigureAwait(false);
            return;
        }

        var now = _clock.GetUtcNow();
        var delay = next.Value - now;
        if (delay <= TimeSpan.Zero)
        {
            return;
        }

        using var wake = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var timer = Task.Delay(delay, _clock, wake.Token);

        // If the clock moved between reading it and creating the timer (a test's fake clock jumps), the timer
        // would be late by that much: measure again. Once created, the timer follows the clock itself.
        if (_clock.GetUtcNow() - now > ClockSlack)
        {
            await wake.CancelAsync().ConfigureAwait(false);
            return;
        }

        await Task.WhenAny(timer, scheduled).ConfigureAwait(false);
        await wake.CancelAsync().ConfigureAwait(false);
    }

    /// <inheritdoc />
    public void Dispose() => _turn.Dispose();

    private static readonly TimeSpan ClockSlack = TimeSpan.FromMilliseconds(1);

    private void Signal() => Interlocked.Exchange(ref _progress, NewSignal()).TrySetResult();

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}
