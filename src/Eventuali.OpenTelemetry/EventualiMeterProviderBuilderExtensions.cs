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

    /// <summary>
    /// Adds Eventuali's meter and turns on per-tenant series for the <paramref name="topTenants"/> tenants that append
    /// most (<see cref="TenantMetrics.TopTenants"/>: process-wide, 0 to <see cref="TenantMetrics.MaxTopTenants"/>, 0 = off).
    /// Tenant metrics are otherwise per tier only.
    /// </summary>
    public static MeterProviderBuilder AddEventualiInstrumentation(this MeterProviderBuilder builder, int topTenants)
    {
        ArgumentNullException.ThrowIfNull(builder);
        TenantMetrics.TopTenants = topTenants;
        return builder.AddMeter(EventualiDiagnostics.MeterName);
    }
}
