using Eventuali.Statistics;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Eventuali.Hosting.HealthChecks;

/// <summary>The store answers a read of the global log's head.</summary>
internal sealed class StoreHealthCheck(IEventStore store) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(context);
        try
        {
            // The watermark does not wait for this instance's own writes to become readable, so it answers at once.
            var head = store.GetFeature<ILogWatermark>() is { } watermark
                ? (await watermark.GetLogWatermarkAsync(cancellationToken).ConfigureAwait(false)).ReadableHead
                : await store.GetHeadPositionAsync(cancellationToken).ConfigureAwait(false);
            return HealthCheckResult.Healthy("The store is reachable.", new Dictionary<string, object> { ["readableHead"] = head });
        }
        catch (Exception ex) when (ex is EventualiException or TimeoutException or IOException or ObjectDisposedException)
        {
            // Eventuali's messages never hold a password; the exception goes to the health report as the cause.
            return new HealthCheckResult(context.Registration.FailureStatus, $"The store is not reachable: {ex.GetType().Name}.", ex);
        }
    }
}
