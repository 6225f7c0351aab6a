using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace Eventuali.Diagnostics;

/// <summary>
/// The one source and meter, and every instrument, created once per process. Gauges are observable: their callbacks
/// run only when a listener collects, so a lag or pool reading costs nothing in between.
/// </summary>
internal static class Telemetry
{
    public static readonly ActivitySource Source = new(EventualiDiagnostics.SourceName, EventualiDiagnostics.Version);

    public static readonly Meter Meter = new(EventualiDiagnostics.MeterName, EventualiDiagnostics.Version);

    private static readonly InstrumentAdvice<double> SecondsAdvice = new()
    {
        HistogramBucketBoundaries = [0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    };

    private static readonly InstrumentAdvice<long> SizeAdvice = new()
    {
        HistogramBucketBoundaries = [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 5000],
    };

    public static readonly Histogram<double> AppendDuration = Meter.CreateHistogram(EventualiInstruments.AppendDuration, "s", "Duration of append calls.", null, SecondsAdvice);
    public static readonly Histogram<double> ReadDuration = Meter.CreateHistogram(EventualiInstruments.ReadDuration, "s", "Duration of stream and global-log reads.", null, SecondsAdvice);
    public static readonly Counter<long> EventsAppended = Meter.CreateCounter<long>(EventualiInstruments.EventsAppended, "{event}", "Events appended.");
    public static readonly Counter<long> EventsRead = Meter.CreateCounter<long>(EventualiInstruments.EventsRead, "{event}", "Events read.");
    public static readonly Counter<long> AppendConflicts = Meter.CreateCounter<long>(EventualiInstruments.AppendConflicts, "{conflict}", "Appends refused by optimistic concurrency.");
    public static readonly Histogram<long> AppendBatchSize = Meter.CreateHistogram(EventualiInstruments.AppendBatchSize, "{event}", "Events per append call.", null, SizeAdvice);
    public static readonly Histogram<long> GroupCommitBatchSize = Meter.CreateHistogram(EventualiInstruments.GroupCommitBatchSize, "{append}", "Appends committed per group-commit transaction.", null, SizeAdvice);
    public static readonly Counter<long> DeadLetters = Meter.CreateCounter<long>(EventualiInstruments.DeadLetters, "{event}", "Events parked as dead letters.");
    public static readonly Counter<long> LeasesAcquired = Meter.CreateCounter<long>(EventualiInstruments.LeasesAcquired, "{lease}", "Leases taken by this process.");
    public static readonly Counter<long> LeasesDenied = Meter.CreateCounter<long>(EventualiInstruments.LeasesDenied, "{attempt}", "Attempts to take a lease another live holder kept.");
    public static readonly Counter<long> LeasesLost = Meter.CreateCounter<long>(EventualiInstruments.LeasesLost, "{lease}", "Leases lost while held.");
    public static readonly Counter<long> SnapshotLoads = Meter.CreateCounter<long>(EventualiInstruments.SnapshotLoads, "{snapshot}", "Aggregate loads that looked for a snapshot.");

    public static readonly Counter<long> CacheLookups = Meter.CreateCounter<long>(EventualiInstruments.CacheLookups, "{lookup}", "Aggregate loads that asked the aggregate cache.");
    public static readonly Counter<long> CacheErrors = Meter.CreateCounter<long>(EventualiInstruments.CacheErrors, "{error}", "Aggregate cache operations that failed.");

    static Telemetry()
    {
        Meter.CreateObservableGauge(EventualiInstruments.CacheHitRatio, CacheTelemetry.HitRatio, "1", "Share of aggregate cache lookups served from the cache.");
        Meter.CreateObservableGauge(EventualiInstruments.SubscriptionLag, () => ConsumerLag.Events(ConsumerKind.Subscription), "{event}", "Events a subscription is behind the head it last saw.");
        Meter.CreateObservableGauge(EventualiInstruments.SubscriptionLagTime, () => ConsumerLag.Seconds(ConsumerKind.Subscription), "s", "Time from append to handling of a subscription's last event.");
        Meter.CreateObservableGauge(EventualiInstruments.ProjectionLag, () => ConsumerLag.Events(ConsumerKind.Projection), "{event}", "Events a projection is behind the head.");
        Meter.CreateObservableGauge(EventualiInstruments.ProjectionLagTime, () => ConsumerLag.Seconds(ConsumerKind.Projection), "s", "Age of the oldest event a projection has still to apply.");
        Meter.CreateObservableGauge(EventualiInstruments.RelayLag, () => ConsumerLag.Events(ConsumerKind.Relay), "{event}", "Events a message relay's confirmed checkpoint is behind the head.");
        Meter.CreateObservableGauge(EventualiInstruments.RelayLagTime, () => ConsumerLag.Seconds(ConsumerKind.Relay), "s", "Age of the oldest event a message relay has still to publish.");
        Meter.CreateObservableGauge(EventualiInstruments.ConnectionCount, StoreTelemetry.ObserveConnections, "{connection}", "Connections of each store, idle or used.");
        Meter.CreateObservableGauge(EventualiInstruments.WatermarkAge, StoreTelemetry.ObserveWatermarkAge, "s", "How long the global log's readable head has not moved while committed events wait above it.");
    }

    /// <summary>Whether any append-side instrument or the source has a listener.</summary>
    public static bool AppendObserved
        => Source.HasListeners() || AppendDuration.Enabled || EventsAppended.Enabled || AppendBatchSize.Enabled || AppendConflicts.Enabled;

    /// <summary>Whether any read-side instrument or the source has a listener.</summary>
    public static bool ReadObserved => Source.HasListeners() || ReadDuration.Enabled || EventsRead.Enabled;

    /// <summary>The <c>error.type</c> of <paramref name="error"/>: the SQLSTATE a database reported, else the exception's full type name.</summary>
    public static string ErrorType(Exception error)
    {
        // An Eventuali exception names what went wrong in the store's terms; a bare driver error names its SQLSTATE.
        if (error is not EventualiException)
        {
            for (var e = error; e is not null; e = e.InnerException)
            {
                if (e is System.Data.Common.DbException { SqlState: { Length: > 0 } state })
                {
                    return state;
                }
            }
        }

        return error.GetType().FullName ?? error.GetType().Name;
    }

    /// <summary>An internal span <c>{operation} {category}</c> (aggregate and snapshot work), or null when nobody listens.</summary>
    public static Activity? StartInternal(string operation, string? category)
    {
        if (!Source.HasListeners())
        {
            return null;
        }

        var activity = Source.StartActivity(string.IsNullOrEmpty(category) ? operation : $"{operation} {category}", ActivityKind.Internal);
        if (activity is { IsAllDataRequested: true })
        {
            activity.SetTag(EventualiAttributes.DbOperationName, operation);
            if (!string.IsNullOrEmpty(category))
            {
                activity.SetTag(EventualiAttributes.DbCollectionName, category);
            }
        }

        return activity;
    }

    /// <summary>Marks <paramref name="activity"/> failed with <paramref name="errorType"/> (never the message: it may name data).</summary>
    public static void Fail(Activity? activity, string errorType)
    {
        if (activity is not null)
        {
            activity.SetStatus(ActivityStatusCode.Error, errorType);
            activity.SetTag(EventualiAttributes.ErrorType, errorType);
        }
    }
}
