using Eventuali.Diagnostics;

// In OpenTelemetry's own namespace, as instrumentation libraries do, so the method shows up beside AddMeter.
namespace OpenTelemetry.Metrics;

/// <summary>
/// Subscribes an OpenTelemetry meter provider to Eventuali's metrics. It only adds the
/// <see cref="EventualiDiagnostics.MeterName"/> meter (instruments: <see cref="EventualiInstruments"/>).
/// </summary>
public static class EventualiMeterProviderBuilderExtensions
{
    /// <summary>Adds Eventuali's meter.</summary>
    public static MeterProviderBuilder AddEventualiInstrumentation(this MeterProviderBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        return builder.AddMeter(EventualiDiagnostics.MeterName);
    }
}
