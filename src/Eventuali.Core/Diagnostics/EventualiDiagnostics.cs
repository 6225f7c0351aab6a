using System.Reflection;

namespace Eventuali.Diagnostics;

/// <summary>
/// The names under which Eventuali reports traces and metrics: one <see cref="System.Diagnostics.ActivitySource"/> and
/// one <see cref="System.Diagnostics.Metrics.Meter"/>, both named <see cref="SourceName"/> and versioned
/// <see cref="Version"/>. Nothing is recorded, and next to nothing is spent, until a listener (the OpenTelemetry SDK,
/// <c>dotnet-counters</c>, a <see cref="System.Diagnostics.Metrics.MeterListener"/>) subscribes to them.
/// </summary>
public static class EventualiDiagnostics
{
    /// <summary>The <see cref="System.Diagnostics.ActivitySource"/> name.</summary>
    public const string SourceName = "Eventuali";

    /// <summary>The <see cref="System.Diagnostics.Metrics.Meter"/> name.</summary>
    public const string MeterName = "Eventuali";

    /// <summary>
    /// The event header holding the W3C <c>traceparent</c> of the span that appended the event, set at append time when
    /// a trace is active (and never when none is), so a subscriber, projection or saga links its own span to it.
    /// </summary>
    public const string TraceParentHeader = "traceparent";

    /// <summary>The event header holding the W3C <c>tracestate</c> that came with <see cref="TraceParentHeader"/>, when there was one.</summary>
    public const string TraceStateHeader = "tracestate";

    /// <summary>
    /// At most this many distinct writer traces are linked from one consumer span (a projection batch, a saga step):
    /// the first ones found in the events it handles. Keeps a span small however large the batch.
    /// </summary>
    public const int MaxLinksPerSpan = 16;

    /// <summary>The version of the source and the meter: this assembly's version (major.minor.build).</summary>
    public static string Version { get; } = typeof(EventualiDiagnostics).Assembly.GetName().Version?.ToString(3) ?? "0.0.0";

    /// <summary>The informational version of this assembly (may carry the source revision), for resource attributes.</summary>
    public static string InformationalVersion { get; } =
        typeof(EventualiDiagnostics).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? Version;
}
