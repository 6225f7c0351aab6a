using System.Diagnostics;

namespace Eventuali.Diagnostics;

/// <summary>
/// Spans of the code that consumes events (subscription deliveries, projection batches, saga steps), linked to the
/// traces that appended the events. Started only when a listener samples them; otherwise null and free.
/// </summary>
internal static class ConsumerTelemetry
{
    /// <summary>
    /// Leaves the trace of whoever started a long-running consumer (a request that started a subscription): its spans
    /// are roots linked to the writers' traces, not children of a request that ended long ago. Call at the start of
    /// the consumer's own loop; it affects that loop only.
    /// </summary>
    public static void Detach() => Activity.Current = null;

    /// <summary>A span for one event handed to <paramref name="name"/>'s handler, linked to the event's writer.</summary>
    public static Activity? StartOne(string operation, string nameKey, string name, RecordedEvent e)
    {
        if (!Telemetry.Source.HasListeners())
        {
            return null;
        }

        List<ActivityLink>? links = TraceContext.TryGet(e, out var writer) ? [new ActivityLink(writer)] : null;
        return Start(operation, nameKey, name, links, 1);
    }

    /// <summary>A span for a batch handled by <paramref name="name"/>, linked to the first distinct writers (see <see cref="EventualiDiagnostics.MaxLinksPerSpan"/>).</summary>
    public static Activity? StartBatch<T>(string operation, string nameKey, string name, IReadOnlyList<T> events, Func<T, RecordedEvent> recorded)
        => Telemetry.Source.HasListeners()
            ? Start(operation, nameKey, name, TraceContext.LinksOf(events, recorded), events.Count)
            : null;

    /// <summary>Ends <paramref name="activity"/> as failed with <paramref name="error"/>'s type.</summary>
    public static void Fail(Activity? activity, Exception error)
    {
        if (activity is not null)
        {
            Telemetry.Fail(activity, Telemetry.ErrorType(error));
        }
    }

    private static Activity? Start(string operation, string nameKey, string name, List<ActivityLink>? links, int count)
    {
        var activity = Telemetry.Source.StartActivity(ActivityKind.Consumer, default(ActivityContext), null, links, default, $"{operation} {name}");
        if (activity is { IsAllDataRequested: true })
        {
            activity.SetTag(EventualiAttributes.DbOperationName, operation);
            activity.SetTag(nameKey, name);
            activity.SetTag(EventualiAttributes.EventCount, count);
        }

        return activity;
    }
}
