using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Runtime.CompilerServices;
using Eventuali.Diagnostics;
using Eventuali.Statistics;

namespace Eventuali.Extensibility;

/// <summary>
/// A backend's traces and metrics, written the same way for every store: the backend routes its append and reads
/// through <see cref="AppendAsync"/> and <see cref="ObserveRead"/> when <see cref="IsAppendObserved"/> or
/// <see cref="IsReadObserved"/> says someone listens, and reports only what it alone knows (group-commit batches,
/// connection use, its watermark). Dispose it with the store once it tracks connections or a watermark, so the
/// store's gauges stop reporting.
/// </summary>
public sealed partial class StoreTelemetry : IDisposable
{
    private static readonly ConcurrentDictionary<StoreTelemetry, byte> Open = new();

    private readonly KeyValuePair<string, object?> _system;
    private readonly bool _recordStreamId;
    private readonly ConcurrentDictionary<(string Operation, string Category), string> _spanNames = new();
    private Func<ConnectionUse>? _connections;
    private KeyValuePair<string, object?> _poolName;
    private ILogWatermark? _watermark;
    private WatermarkSample _sample = new(-1, 0, 0);
    private int _sampling;

    /// <summary>Telemetry for a store of <paramref name="dbSystemName"/> (see <see cref="EventualiAttributes"/>) in <paramref name="dbNamespace"/>.</summary>
    public StoreTelemetry(string dbSystemName, string? dbNamespace, EventStoreOptions options)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(dbSystemName);
        ArgumentNullException.ThrowIfNull(options);
        DbSystemName = dbSystemName;
        DbNamespace = dbNamespace;
        _system = new(EventualiAttributes.DbSystemName, dbSystemName);
        _recordStreamId = options.RecordStreamIdInTraces;
    }

    /// <summary>The <c>db.system.name</c> reported.</summary>
    public string DbSystemName { get; }

    /// <summary>The <c>db.namespace</c> reported on spans, or null.</summary>
    public string? DbNamespace { get; }

    /// <summary>
    /// Whether an append must go through <see cref="AppendAsync"/>: a listener wants its span or measurements, or a
    /// trace is active whose context the events must carry. False costs the caller nothing more.
    /// </summary>
    public static bool IsAppendObserved => Activity.Current is not null || Telemetry.AppendObserved;

    /// <summary>Whether a read must go through <see cref="ObserveRead"/>.</summary>
    public static bool IsReadObserved => Telemetry.ReadObserved;

    /// <summary>
    /// Runs <paramref name="append"/> inside an <c>append {category}</c> span, records its duration, size, events and
    /// conflicts, and, when the caller is inside a trace, hands it the events carrying that trace's context (the append
    /// span's, see <see cref="EventualiDiagnostics.TraceParentHeader"/>).
    /// </summary>
    public async ValueTask<AppendResult> AppendAsync(
        string streamId,
        ExpectedVersion expectedVersion,
        IReadOnlyList<EventData> events,
        Func<string, ExpectedVersion, IReadOnlyList<EventData>, CancellationToken, ValueTask<AppendResult>> append,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(append);

        // Only an append made inside a trace carries it: one that starts none (a batch job) stores nothing extra.
        var caller = Activity.Current;
        using var activity = StartSpan(EventualiOperations.Append, streamId, ActivityKind.Client);
        if (caller is not null)
        {
            events = TraceContext.Inject(events, activity ?? caller);
        }

        var count = events?.Count ?? 0;
        activity?.SetTag(EventualiAttributes.EventCount, count);
        var started = Stopwatch.GetTimestamp();
        try
        {
            var result = await append(streamId, expectedVersion, events!, cancellationToken).ConfigureAwait(false);
            Telemetry.AppendDuration.Record(Stopwatch.GetElapsedTime(started).TotalSeconds, _system);
            Telemetry.EventsAppended.Add(count, _system);
            Telemetry.AppendBatchSize.Record(count, _system);
            return result;
        }
        catch (Exception ex)
        {
            var errorType = Telemetry.ErrorType(ex);
            Telemetry.AppendDuration.Record(Stopwatch.GetElapsedTime(started).TotalSeconds, _system, new(EventualiAttributes.ErrorType, errorType));
            if (ex is ConcurrencyException)
            {
                Telemetry.AppendConflicts.Add(1, _system);
            }

            Telemetry.Fail(activity, errorType);
            throw;
        }
    }

    /// <summary>
    /// <paramref name="source"/> inside one <c>{operation} {category}</c> span, its duration (first fetch until the reader
    /// finishes, fails or stops) and events read recorded once at the end. <paramref name="operationName"/> is
    /// <see cref="EventualiOperations.ReadStream"/> or <see cref="EventualiOperations.ReadAll"/>.
    /// </summary>
    public IAsyncEnumerable<RecordedEvent> ObserveRead(IAsyncEnumerable<RecordedEvent> source, string operationName, string? streamId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(operationName);
        return ObserveReadCore(source, operationName, streamId, cancellationToken);
    }

    /// <summary>Records one committed group-commit transaction of <paramref name="appends"/> appends.</summary>
    public void RecordGroupCommit(int appends)
    {
        if (Telemetry.GroupCommitBatchSize.Enabled)
        {
            Telemetry.GroupCommitBatchSize.Record(appends, _system);
        }
    }

    /// <summary>
    /// Reports the store's connections in <c>db.client.connection.count</c> under <paramref name="poolName"/> (its
    /// location without credentials); <paramref name="use"/> is called only when a listener collects.
    /// </summary>
    public void TrackConnections(string poolName, Func<ConnectionUse> use)
    {
        ArgumentNullException.ThrowIfNull(poolName);
        ArgumentNullException.ThrowIfNull(use);
        _poolName = new(EventualiAttributes.ConnectionPoolName, poolName);
        _connections = use;
        Register();
    }

    /// <summary>Reports how long <paramref name="watermark"/>'s readable head has been held back, sampled in the background when a listener collects.</summary>
    public void TrackWatermark(ILogWatermark watermark)
    {
        ArgumentNullException.ThrowIfNull(watermark);
        _watermark = watermark;
        Register();
    }

    /// <summary>Stops reporting this store's gauges.</summary>
    public void Dispose() => Open.TryRemove(this, out _);

    private void Register()
    {
        // The gauges are created with the other instruments on first use of Telemetry's fields: a store that is opened
        // and not yet used must be reported too.
        GC.KeepAlive(Telemetry.Meter);
        Open.TryAdd(this, 0);
    }

    internal static IEnumerable<Measurement<long>> ObserveConnections()
    {
        foreach (var store in Open.Keys)
        {
            if (store._connections is { } use)
            {
                ConnectionUse now;
                try
                {
                    now = use();
                }
                catch (ObjectDisposedException)
                {
                    continue;
                }

                yield return new Measurement<long>(now.Idle, store._poolName, new(EventualiAttributes.ConnectionState, "idle"));
                yield return new Measurement<long>(now.Used, store._poolName, new(EventualiAttributes.ConnectionState, "used"));
            }
        }
    }

    internal static IEnumerable<Measurement<double>> ObserveWatermarkAge()
    {
        foreach (var store in Open.Keys)
        {
            if (store._watermark is not null)
            {
                store.SampleWatermarkInBackground();
                yield return new Measurement<double>(Volatile.Read(ref store._sample).AgeSeconds, store._system);
            }
        }
    }

    // A collection must not wait on the database: it reports the last sample and starts the next one.
    private void SampleWatermarkInBackground()
    {
        if (Interlocked.Exchange(ref _sampling, 1) != 0)
        {
            return;
        }

        _ = Task.Run(async () =>
        {
            try
            {
                var w = await _watermark!.GetLogWatermarkAsync().ConfigureAwait(false);
                Volatile.Write(ref _sample, _sample.Next(w, Stopwatch.GetTimestamp()));
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                _ = ex; // a closed or unreachable store: keep the last sample
            }
            finally
            {
                Volatile.Write(ref _sampling, 0);
            }
        });
    }

    private IAsyncEnumerable<RecordedEvent> ObserveReadCore(IAsyncEnumerable<RecordedEvent> source, string operationName, string? streamId, CancellationToken cancellationToken)
        => Streaming.ReadTracking.Track(
            source,
            () => (Activity: StartSpan(operationName, streamId, ActivityKind.Client), Started: Stopwatch.GetTimestamp()),
            (state, count, error) =>
            {
                EndRead(state.Activity, operationName, Stopwatch.GetElapsedTime(state.Started).TotalSeconds, count, error);
                return ValueTask.CompletedTask;
            },
            cancellationToken);

    private void EndRead(Activity? activity, string operationName, double seconds, long count, Exception? error)
    {
        var operation = new KeyValuePair<string, object?>(EventualiAttributes.DbOperationName, operationName);
        if (error is null)
        {
            Telemetry.ReadDuration.Record(seconds, _system, operation);
        }
        else
        {
            var errorType = Telemetry.ErrorType(error);
            Telemetry.ReadDuration.Record(seconds, _system, operation, new(EventualiAttributes.ErrorType, errorType));
            Telemetry.Fail(activity, errorType);
        }

        Telemetry.EventsRead.Add(count, _system);
        activity?.SetTag(EventualiAttributes.EventCount, count);
        activity?.Dispose();
    }

    private Activity? StartSpan(string operation, string? streamId, ActivityKind kind)
    {
        if (!Telemetry.Source.HasListeners())
        {
            return null;
        }

        var category = streamId is null ? string.Empty : StreamCategories.Of(streamId);
        var name = category.Length == 0 ? operation : _spanNames.GetOrAdd((operation, category), static k => $"{k.Operation} {k.Category}");
        var activity = Telemetry.Source.StartActivity(name, kind);
        if (activity is { IsAllDataRequested: true })
        {
            activity.SetTag(EventualiAttributes.DbSystemName, DbSystemName);
            activity.SetTag(EventualiAttributes.DbOperationName, operation);
            if (DbNamespace is not null)
            {
                activity.SetTag(EventualiAttributes.DbNamespace, DbNamespace);
            }

            if (category.Length > 0)
            {
                activity.SetTag(EventualiAttributes.DbCollectionName, category);
            }

            if (_recordStreamId && streamId is not null)
            {
                activity.SetTag(EventualiAttributes.StreamId, streamId);
            }
        }

        return activity;
    }

    // A class, so a collection reads a whole sample while the background writes the next one.
    private sealed record WatermarkSample(long HeldAt, long Since, double AgeSeconds)
    {
        public WatermarkSample Next(LogWatermark w, long now)
            => !w.IsHeldBack ? new(-1, now, 0)
                : HeldAt != w.ReadableHead ? new(w.ReadableHead, now, 0)
                : this with { AgeSeconds = Stopwatch.GetElapsedTime(Since, now).TotalSeconds };
    }
}

/// <summary>A store's connections at one moment, for <see cref="StoreTelemetry.TrackConnections"/>.</summary>
/// <param name="Idle">Open and waiting in the pool.</param>
/// <param name="Used">Running a statement or held by a transaction.</param>
public readonly record struct ConnectionUse(int Idle, int Used);
