using System.Diagnostics;
using System.Globalization;
using Eventuali.Sagas;
using Eventuali.Subscriptions;
using Eventuali.Typed;

namespace Eventuali.Benchmarking;

/// <summary>The first step of a benchmark saga instance.</summary>
[EventType("bench-saga.started")]
internal sealed record BenchSagaStarted(string SagaId);

/// <summary>A later step of a benchmark saga instance.</summary>
[EventType("bench-saga.step")]
internal sealed record BenchSagaStep(string SagaId, int Step);

/// <summary>What a benchmark saga instance appends for each step it handles.</summary>
[EventType("bench-saga.effect")]
internal sealed record BenchSagaEffect(string SagaId, int Step);

/// <summary>
/// The saga workload. Untimed setup appends <see cref="Steps"/> events per saga instance (Events / 4 instances),
/// step by step across all instances (step 1 of every instance, then step 2, ...), as many sagas in flight at once
/// would; <see cref="BenchmarkOptions.Concurrency"/> writers append them (after an untimed warm-up run on instances of
/// its own). The timed phase runs a
/// <see cref="SagaRunner{TState}"/> from the head before the setup until it has dealt with every step: for each
/// it loads the instance, decides, saves state with its outbox, appends one effect event and clears the outbox;
/// the last step completes the instance. Afterwards the effects are counted: one per step, none twice.
/// </summary>
internal static class SagaWorkload
{
    /// <summary>Events per saga instance.</summary>
    public const int Steps = 4;

    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(10);

    public static async Task<BenchmarkResult> RunAsync(IEventStore store, BenchmarkSession session, BenchmarkOptions options, long head, string backend, string database, CancellationToken ct)
    {
        var sagas = Math.Max(1, options.Events / Steps);
        var total = sagas * Steps;

        // As the other workloads do: the code paths run once, untimed, on instances of their own (5%, at least 256,
        // a full batch of the runner), so compiling them is not counted. The timed run starts after all the warm-up wrote.
        var warm = Math.Max(256, sagas / 20);
        options.Progress?.Report($"warm-up: {warm} saga instances run once (untimed)");
        var warmLast = await WriteStepsAsync(store, session.RunId + "-warm", warm, options.Concurrency, ct).ConfigureAwait(false);
        await RunUntilAsync(store, "bench-saga-" + session.RunId + "-warm", head, warmLast, null, ct).ConfigureAwait(false);
        head = await store.GetHeadPositionAsync(ct).ConfigureAwait(false);

        options.Progress?.Report($"setup: appending {total} saga events ({sagas} instances x {Steps} steps, untimed)");
        var lastSetup = await WriteStepsAsync(store, session.RunId, sagas, options.Concurrency, ct).ConfigureAwait(false);
        options.Progress?.Report($"running saga ({total} events)");
        var latency = new LatencyRecorder(1024);
        var memory = new PeakMemory();
        memory.Reset();
        var started = Stopwatch.GetTimestamp();
        await RunUntilAsync(store, "bench-saga-" + session.RunId, head, lastSetup, latency, ct).ConfigureAwait(false);
        var seconds = Stopwatch.GetElapsedTime(started).TotalSeconds;
        var (peakBytes, peakSource) = memory.Read();
        await VerifyAsync(store, head, total, ct).ConfigureAwait(false);

        var sorted = latency.ToSortedArray();
        return new BenchmarkResult(
            BenchmarkWorkloads.NameOf(BenchmarkWorkload.Saga),
            backend,
            total,
            seconds,
            total / seconds,
            LatencyRecorder.PercentileMilliseconds(sorted, 50),
            LatencyRecorder.PercentileMilliseconds(sorted, 99),
            LatencyRecorder.MeanMilliseconds(sorted),
            peakBytes / (1024.0 * 1024.0),
            peakSource,
            "runner step (one batch of log events handled: load, decide, save, append, clear)",
            sorted.Length,
            0,
            database);
    }

    /// <summary>
    /// Runs saga <paramref name="name"/> from after <paramref name="from"/> until it has dealt with the log up to
    /// <paramref name="last"/>, recording the time between its progress signals in <paramref name="latency"/>.
    /// </summary>
    private static async Task RunUntilAsync(IEventStore store, string name, long from, long last, LatencyRecorder? latency, CancellationToken ct)
    {
        await store.GetCheckpointStore().SaveCheckpointAsync("saga:" + name, from, ct).ConfigureAwait(false);
        using var runner = new SagaRunner<BenchSagaState>(store, Definition(name));
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var running = Task.Run(() => runner.RunAsync(stop.Token), CancellationToken.None);
        var step = Stopwatch.GetTimestamp();
        while (runner.Position < last)
        {
            var progress = runner.WaitForProgressAsync(stop.Token);
            var first = await Task.WhenAny(progress, running).WaitAsync(Timeout, ct).ConfigureAwait(false);
            if (first == running)
            {
                await running.ConfigureAwait(false); // rethrows the runner's failure
                throw new InvalidOperationException("The saga runner stopped before handling every step.");
            }

            var now = Stopwatch.GetTimestamp();
            latency?.Add(step, now);
            step = now;
        }

        await stop.CancelAsync().ConfigureAwait(false);
        await running.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
    }

    internal sealed class BenchSagaState
    {
        public int Steps { get; set; }
    }

    private static SagaDefinition<BenchSagaState> Definition(string name) => new SagaDefinition<BenchSagaState>(name)
        .StartedBy<BenchSagaStarted>(e => e.SagaId, (ctx, e) => Step(ctx, e.SagaId, 1))
        .Handles<BenchSagaStep>(e => e.SagaId, (ctx, e) => Step(ctx, e.SagaId, e.Step));

    private static void Step(SagaContext<BenchSagaState> ctx, string sagaId, int step)
    {
        ctx.State.Steps++;
        ctx.Append("bench-saga-out-" + sagaId, new BenchSagaEffect(sagaId, step));
        if (step == Steps)
        {
            ctx.Complete();
        }
    }

    /// <summary>Appends every step of every instance, one step across all instances at a time; returns the last position written.</summary>
    private static async Task<long> WriteStepsAsync(IEventStore store, string runId, int sagas, int concurrency, CancellationToken ct)
    {
        var types = store.Options.Types;
        long last = 0;
        for (var s = 1; s <= Steps; s++)
        {
            var next = -1;
            var writers = Enumerable.Range(0, Math.Min(concurrency, sagas)).Select(_ => Task.Run(async () =>
            {
                for (var i = Interlocked.Increment(ref next); i < sagas; i = Interlocked.Increment(ref next))
                {
                    var id = runId + "-" + i.ToString("D6", CultureInfo.InvariantCulture);
                    object e = s == 1 ? new BenchSagaStarted(id) : new BenchSagaStep(id, s);
                    var result = await store.AppendAsync("bench-saga-" + id, ExpectedVersion.Exact(s - 1), [types.ToEventData(e)], ct).ConfigureAwait(false);
                    InterlockedMax(ref last, result.LastPosition);
                }
            }, ct));
            await Task.WhenAll(writers).ConfigureAwait(false);
        }

        return last;
    }

    private static void InterlockedMax(ref long target, long value)
    {
        var seen = Volatile.Read(ref target);
        while (value > seen && Interlocked.CompareExchange(ref target, value, seen) is var now && now != seen)
        {
            seen = now;
        }
    }

    private static async Task VerifyAsync(IEventStore store, long head, int total, CancellationToken ct)
    {
        var ids = new HashSet<Guid>();
        await foreach (var e in store.ReadAllAsync(head + 1, int.MaxValue, new EventFilter { EventTypes = ["bench-saga.effect"] }, ct).ConfigureAwait(false))
        {
            if (!ids.Add(e.EventId))
            {
                throw new InvalidOperationException($"The saga wrote effect event {e.EventId} twice.");
            }
        }

        if (ids.Count != total)
        {
            throw new InvalidOperationException($"The saga wrote {ids.Count} effect events for {total} steps; expected exactly one per step.");
        }
    }
}
