using System.Diagnostics;

namespace Eventuali.Diagnostics;

/// <summary>
/// W3C trace context carried in event headers: written at append when a trace is active, read back by consumers to
/// link their spans to the writer's trace.
/// </summary>
internal static class TraceContext
{
    /// <summary>
    /// <paramref name="events"/> with the <paramref name="activity"/>'s traceparent (and tracestate) in each one's
    /// headers; an event that already carries a traceparent keeps it. Invalid input is passed on for the store to name.
    /// </summary>
    public static IReadOnlyList<EventData> Inject(IReadOnlyList<EventData> events, Activity activity)
    {
        if (activity.IdFormat != ActivityIdFormat.W3C || activity.Id is not { } traceParent || events is null)
        {
            return events!;
        }

        var traceState = activity.TraceStateString;

        // Events without headers of their own (most) share one read-only header set, and one metadata when they have none.
        var shared = new Dictionary<string, string>(2, StringComparer.Ordinal) { [EventualiDiagnostics.TraceParentHeader] = traceParent };
        if (!string.IsNullOrEmpty(traceState))
        {
            shared[EventualiDiagnostics.TraceStateHeader] = traceState;
        }

        EventMetadata? onlyTrace = null;
        var result = new EventData[events.Count];
        for (var i = 0; i < result.Length; i++)
        {
            var e = events[i];
            if (e is null || (e.Metadata.Headers is { } existing && existing.ContainsKey(EventualiDiagnostics.TraceParentHeader)))
            {
                result[i] = e!;
                continue;
            }

            EventMetadata metadata;
            if (e.Metadata.Headers is { Count: > 0 } own)
            {
                var headers = new Dictionary<string, string>(own, StringComparer.Ordinal);
                foreach (var (key, value) in shared)
                {
                    headers[key] = value;
                }

                metadata = e.Metadata with { Headers = headers };
            }
            else
            {
                metadata = e.Metadata.IsEmpty ? onlyTrace ??= new EventMetadata(Headers: shared) : e.Metadata with { Headers = shared };
            }

            result[i] = new EventData(e.EventId, e.EventType, e.Data, metadata, e.ContentType);
        }

        return result;
    }

    /// <summary>The writer's span context stored in <paramref name="e"/>, if it has a valid one.</summary>
    public static bool TryGet(RecordedEvent e, out ActivityContext context)
    {
        context = default;
        return e.Metadata.Headers is { } headers
               && headers.TryGetValue(EventualiDiagnostics.TraceParentHeader, out var parent)
               && ActivityContext.TryParse(parent, headers.GetValueOrDefault(EventualiDiagnostics.TraceStateHeader), isRemote: true, out context);
    }

    /// <summary>Links to the distinct writer spans of <paramref name="events"/>, the first <see cref="EventualiDiagnostics.MaxLinksPerSpan"/> found; null when none.</summary>
    public static List<ActivityLink>? LinksOf<T>(IReadOnlyList<T> events, Func<T, RecordedEvent> recorded)
    {
        List<ActivityLink>? links = null;
        for (var i = 0; i < events.Count && (links?.Count ?? 0) < EventualiDiagnostics.MaxLinksPerSpan; i++)
        {
            if (TryGet(recorded(events[i]), out var context) && !(links?.Exists(l => l.Context == context) ?? false))
            {
                (links ??= []).Add(new ActivityLink(context));
            }
        }

        return links;
    }
}
