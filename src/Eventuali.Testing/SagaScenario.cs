using Eventuali.InMemory;
using Eventuali.Sagas;

namespace Eventuali.Testing;

/// <summary>
/// Given events already handled, when new events arrive (and, optionally, time passes on the fake clock so timeouts
/// fire), then the saga appends exactly these events. A real <see cref="SagaRunner{TState}"/> runs on the in-memory
/// store; the scenario waits until it has dealt with everything in the log, including the events it appended itself.
/// </summary>
public sealed class SagaScenario<TState> : ScenarioBase<SagaScenario<TState>>
    where TState : class, new()
{
    private readonly SagaDefinition<TState> _saga;
    private readonly List<(string StreamId, object[] Events)> _when = [];
    private TimeSpan _elapse;

    internal SagaScenario(SagaDefinition<TState> saga)
    {
        ArgumentNullException.ThrowIfNull(saga);
        _saga = saga;
    }

    /// <summary>Events the saga has already dealt with (what it appended for them is not checked).</summary>
    public SagaScenario<TState> Given(string streamId, params object[] events) => GivenStream(streamId, events);

    /// <summary>New events in stream <paramref name="streamId"/>, appended after the given ones are dealt with.</summary>
    public SagaScenario<TState> When(string streamId, params object[] events)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(streamId);
        ArgumentNullException.ThrowIfNull(events);
        _when.Add((streamId, events));
        return this;
    }

    /// <summary>After the events, the fake clock moves on by <paramref name="time"/>, firing the timeouts that fall due.</summary>
    public SagaScenario<TState> AfterTime(TimeSpan time)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(time.Ticks, nameof(time));
        _elapse += time;
        return this;
    }

    /// <summary>Runs the scenario and checks that the saga appended exactly <paramref name="expected"/> in reply to the When events, in log order.</summary>
    public async Task Then(params object[] expected)
    {
        ArgumentNullException.ThrowIfNull(expected);
        var appended = await RunAsync().ConfigureAwait(false);
        AssertEvents(expected, appended, $"Saga '{_saga.Name}'");
    }

    /// <summary>Runs the scenario; returns the events the saga appended in reply to the When events (and elapsed time).</summary>
    public async Task<IReadOnlyList<object>> RunAsync()
    {
        using var timeout = new CancellationTokenSource(Patience);
        var ct = timeout.Token;
        var store = await NewStoreAsync(ct).ConfigureAwait(false);
        await using (store.ConfigureAwait(false))
        {
            using var runner = new SagaRunner<TState>(store, _saga, new SagaRunnerOptions { TimeProvider = Clock });
            using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
            var running = Task.Run(() => runner.RunAsync(stop.Token), CancellationToken.None);
            try
            {
                await SettleAsync(store, runner, running, ct).ConfigureAwait(false);
                var mark = await store.GetHeadPositionAsync(ct).ConfigureAwait(false);
                var written = new List<object>();
                foreach (var (streamId, events) in _when)
                {
                    await AppendAsync(store, streamId, events, ct).ConfigureAwait(false);
                }

                var afterWhen = await store.GetHeadPositionAsync(ct).ConfigureAwait(false);
                await SettleAsync(store, runner, running, ct).ConfigureAwait(false);
                if (_elapse > TimeSpan.Zero)
                {
                    Clock.Advance(_elapse);
                    await SettleTimeoutsAsync(store, runner, running, ct).ConfigureAwait(false);
                }

                foreach (var e in await EventsAfterAsync(store, mark, ct).ConfigureAwait(false))
                {
                    written.Add(e);
                }

                // The When events themselves are the test's; everything after them is the saga's.
                return written.Skip((int)(afterWhen - mark)).ToList();
            }
            catch (OperationCanceledException) when (timeout.IsCancellationRequested)
            {
                throw new SpecificationException($"Saga '{_saga.Name}' did not deal with the events within {Patience.TotalSeconds:0} s.");
            }
            finally
            {
                await stop.CancelAsync().ConfigureAwait(false);
                await StoppedAsync(running).ConfigureAwait(false);
            }
        }
    }

    /// <summary>Waits until the runner has dealt with the head of the log and the head stays put (its own appends included).</summary>
    private async Task SettleAsync(InMemoryEventStore store, SagaRunner<TState> runner, Task running, CancellationToken ct)
    {
        while (true)
        {
            var head = await store.GetHeadPositionAsync(ct).ConfigureAwait(false);
            var reached = runner.WaitForPositionAsync(head, ct);
            await Task.WhenAny(reached, running).ConfigureAwait(false);
            ThrowIfFailed(running);
            await reached.ConfigureAwait(false);
            if (await store.GetHeadPositionAsync(ct).ConfigureAwait(false) == head)
            {
                return;
            }
        }
    }

    /// <summary>Waits until no timeout of the saga is due on the fake clock, then settles what firing them appended.</summary>
    private async Task SettleTimeoutsAsync(InMemoryEventStore store, SagaRunner<TState> runner, Task running, CancellationToken ct)
    {
        var sagas = store.GetSagaStore();
        while (await sagas.GetNextTimeoutDueAsync(_saga.Name, ct).ConfigureAwait(false) is { } due && due <= Clock.GetUtcNow())
        {
            var step = runner.WaitForProgressAsync(ct);
            await Task.WhenAny(step, running, Task.Delay(TimeSpan.FromMilliseconds(20), TimeProvider.System, ct)).ConfigureAwait(false);
            ThrowIfFailed(running);
        }

        await SettleAsync(store, runner, running, ct).ConfigureAwait(false);
    }

    private void ThrowIfFailed(Task running)
    {
        if (running.IsFaulted)
        {
            var error = running.Exception!.GetBaseException();
            throw new SpecificationException($"Saga '{_saga.Name}' failed: {error.GetType().Name}: {error.Message}", error);
        }
    }

    private static async Task StoppedAsync(Task running)
    {
        try
        {
            await running.ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // Stopped by the scenario.
        }
        catch (Exception) when (running.IsFaulted)
        {
            // Already reported (or the scenario failed for another reason, which is the one to report).
        }
    }
}
