using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Eventuali.Hosting.HealthChecks;

/// <summary>Liveness: no Eventuali hosted service (projection daemon, saga runner, subscription) has stopped with an error.</summary>
internal sealed class HostedServicesHealthCheck(EventualiServiceStates states) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(context);
        var all = states.All;
        var data = all.ToDictionary(s => s.Service, s => (object)s.State.ToString(), StringComparer.Ordinal);
        var faulted = all.Where(s => s.State == EventualiServiceState.Faulted).ToList();
        return Task.FromResult(faulted.Count == 0
            ? HealthCheckResult.Healthy($"{all.Count} Eventuali service(s), none faulted.", data)
            : new HealthCheckResult(
                context.Registration.FailureStatus,
                $"Faulted: {string.Join("; ", faulted.Select(s => $"{s.Service} ({s.Error?.GetType().Name})"))}.",
                faulted[0].Error,
                data));
    }
}
