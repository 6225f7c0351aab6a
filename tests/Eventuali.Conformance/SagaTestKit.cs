using Eventuali.Sagas;
using Eventuali.Typed;

namespace Eventuali.Conformance;

/// <summary>Starting and stopping runners, and waiting on what they write.</summary>
internal static class SagaTestKit
{
    public static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    /// <summary>A runner running in the background; dispose stops it and reports nothing but its own failure.</summary>
    public sealed class Running : IAsyncDisposable
    {
        private readonly CancellationTokenSource _stop = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);

        public Running(SagaRunner<OrderProcess> runner)
        {
            Runner = runner;
            Task = Task.Run(() => runner.RunAsync(_stop.Token));
        }

        private bool _failureSeen;

        public SagaRunner<OrderProcess> Runner { get; }

        public Task Task { get; }

        /// <summary>Waits for the runner to fail by itself and returns the error (which disposing then does not rethrow).</summary>
        public async Task<Exception> FailureAsync()
        {
            var error = await Record.ExceptionAsync(() => Task.WaitAsync(Patience, TestContext.Current.CancellationToken));
            Assert.NotNull(error);
            _failureSeen = true;
            return error;
        }

        public async ValueTask DisposeAsync()
        {
            await _stop.CancelAsync();
            try
            {
                await Task;
            }
            catch (OperationCanceledException)
            {
            }
            catch (Exception) when (_failureSeen)
            {
            }

            Runner.Dispose();
            _stop.Dispose();
        }
    }

    public static Running Start(IEventStore store, SagaRunnerOptions? options = null)
        => new(new SagaRunner<OrderProcess>(store, OrderSaga.Definition(), options));

    /// <summary>Waits until <paramref name="condition"/> holds, re-checking on each runner step and every 50 ms.</summary>
    public static async Task WaitUntilAsync(Func<Task<bool>> condition, Running running, string what)
    {
        var deadline = DateTime.UtcNow + Patience;
        while (!await condition())
        {
            if (running.Task.IsFaulted)
            {
                await running.Task; // surfaces the runner's error
            }

            Assert.True(DateTime.UtcNow < deadline, $"Timed out waiting for {what}.");
            var step = running.Runner.WaitForProgressAsync(TestContext.Current.CancellationToken);
            await Task.WhenAny(step, Task.Delay(50, TestContext.Current.CancellationToken));
        }
    }

    /// <summary>Waits until instance <paramref name="sagaId"/> is completed with its last appends written.</summary>
    public static Task WaitForCompletionAsync(IEventStore store, string sagaId, Running running)
        => WaitUntilAsync(async () => await store.GetSagaStore().LoadSagaAsync(OrderSaga.Name, sagaId, TestContext.Current.CancellationToken) is { Completed: true, Outbox: null }, running, $"instance {sagaId} to complete");

    public static async Task<List<object>> EventsAsync(this IEventStore store, string streamId)
    {
        var list = new List<object>();
        await foreach (var e in store.ReadStreamAsync(streamId, cancellationToken: TestContext.Current.CancellationToken))
        {
            list.Add(store.Options.Types.Deserialize(e));
        }

        return list;
    }

    public static async Task<int> CountAsync(this IEventStore store, string streamId)
        => (int)(await store.GetStreamVersionAsync(streamId, TestContext.Current.CancellationToken) ?? 0);

    public static Task<AppendResult> AppendAsync(this IEventStore store, string streamId, object @event)
        => store.AppendAsync(streamId, ExpectedVersion.Any, [store.Options.Types.ToEventData(@event)], TestContext.Current.CancellationToken).AsTask();

    /// <summary>Every event id in the log appears once (a re-processed decision must not append twice).</summary>
    public static async Task AssertNoEventTwiceAsync(IEventStore store)
    {
        var all = await store.ReadAllListAsync();
        Assert.Equal(all.Count, all.Select(e => e.EventId).Distinct().Count());
    }
}
