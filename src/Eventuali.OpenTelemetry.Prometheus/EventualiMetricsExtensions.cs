using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Eventuali.Diagnostics;
using OpenTelemetry.Metrics;

namespace Eventuali.OpenTelemetry.Prometheus;

/// <summary>
/// Exposes Eventuali's metrics (and any other meter the application adds) to Prometheus through the OpenTelemetry
/// Prometheus exporter.
/// </summary>
public static class EventualiMetricsExtensions
{
    /// <summary>The path <see cref="MapEventualiMetrics"/> serves when none is given.</summary>
    public const string DefaultPath = "/metrics";

    /// <summary>Npgsql's meter, added by <see cref="AddEventualiMetrics"/> for the PostgreSQL connection pool metrics.</summary>
    public const string NpgsqlMeterName = "Npgsql";

    /// <summary>
    /// The name <c>db.client.connection.count</c> is exposed under (as <c>db_client_connections_usage</c>): Prometheus'
    /// naming rules (<c>promtool check metrics</c>) refuse a gauge whose name ends in <c>_count</c>.
    /// </summary>
    public const string ConnectionUsageMetricName = "db.client.connections.usage";

    /// <summary>
    /// Registers an OpenTelemetry meter provider that collects the <c>Eventuali</c> meter and keeps it for the
    /// Prometheus scraping endpoint mapped by <see cref="MapEventualiMetrics"/>.
    /// </summary>
    /// <param name="services">The application's services.</param>
    /// <param name="configure">Adds further meters, views or exporters (for example the ASP.NET Core or runtime
    /// instrumentation) to the same provider.</param>
    /// <returns>The same services, for chaining.</returns>
    public static IServiceCollection AddEventualiMetrics(
        this IServiceCollection services, Action<MeterProviderBuilder>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddOpenTelemetry().WithMetrics(metrics =>
        {
            metrics.AddEventualiInstrumentation();
            // On PostgreSQL the connection pool's db.client.connection.count comes from Npgsql's own meter.
            metrics.AddMeter(NpgsqlMeterName);
            // Prometheus' naming rules refuse a gauge ending in _count, which db.client.connection.count would become.
            metrics.AddView(EventualiInstruments.ConnectionCount, new MetricStreamConfiguration { Name = ConnectionUsageMetricName });
            metrics.AddPrometheusExporter();
            configure?.Invoke(metrics);
        });
        return services;
    }

    /// <summary>
    /// Serves the metrics registered by <see cref="AddEventualiMetrics"/> in the Prometheus text format. The
    /// exposition holds metric names, bounded attributes (backend, operation, error type, projection and
    /// subscription names) and numbers only: no stream id, payload or connection string is ever an attribute.
    /// </summary>
    /// <param name="endpoints">The application's endpoint routes.</param>
    /// <param name="path">The path to serve; <see cref="DefaultPath"/> by default.</param>
    /// <returns>The endpoint's convention builder, to require authorization or a host, for example.</returns>
    public static IEndpointConventionBuilder MapEventualiMetrics(
        this IEndpointRouteBuilder endpoints, string path = DefaultPath)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        if (!path.StartsWith('/'))
        {
            throw new ArgumentException($"The metrics path must start with '/', got '{path}'.", nameof(path));
        }

        return endpoints.MapPrometheusScrapingEndpoint(path);
    }
}
