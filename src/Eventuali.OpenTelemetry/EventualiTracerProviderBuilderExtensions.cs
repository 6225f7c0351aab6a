using Eventuali.Diagnostics;

// In OpenTelemetry's own namespace, as instrumentation libraries do, so the method shows up beside AddSource.
namespace OpenTelemetry.Trace;

/// <summary>
/// Subscribes an OpenTelemetry tracer provider to Eventuali's spans. It only adds the
/// <see cref="EventualiDiagnostics.SourceName"/> activity source: the stores report through it on their own, at no
/// cost while nobody listens.
/// </summary>
public static class EventualiTracerProviderBuilderExtensions
{
    /// <summary>Adds Eventuali's activity source (append, read, aggregate, snapshot, subscription, projection, saga and migration spans).</summary>
    public static TracerProviderBuilder AddEventualiInstrumentation(this TracerProviderBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        return builder.AddSource(EventualiDiagnostics.SourceName);
    }
}
