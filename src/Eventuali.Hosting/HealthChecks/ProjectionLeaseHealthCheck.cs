using Eventuali.Projections;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Eventuali.Hosting.HealthChecks;

/// <summary>
/// This node's projection leases: leader or standby for each (standing by is healthy), degraded while a lease this node
/// lost (another node took it, or it could not renew) is more recent than <see cref="RecentLoss"/>. Healthy when the
/// host runs no projection daemon.
/// </summary>
internal sealed class ProjectionLeaseHealthCheck(ProjectionDaemon? daemon) : IHealthCheck
{
    public static readonly TimeSpan RecentLoss = TimeSpan.FromMinutes(1);

    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (daemon is null)
        {
            return Task.FromResult(HealthCheckResult.Healthy("This host runs no projection daemon."));
        }

        var now = daemon.Options.TimeProvider.GetUtcNow();
        var leases = daemon.GetLeaseStatuses();
        var data = leases.ToDictionary(l => l.Projection, l => (object)(l.IsLeader ? $"leader (epoch {l.Epoch})" : "standby"), StringComparer.Ordinal);
        var lost = leases.Where(l => l.LastChange?.Change == ProjectionLeaseChange.Lost && now - l.LastChangeAt < RecentLoss).ToList();
        if (lost.Count > 0)
        {
            return Task.FromResult(HealthCheckResult.Degraded(
                $"Lease lost in the last {RecentLoss.TotalMinutes:0} minute(s): {string.Join(", ", lost.Select(l => l.Projection))}.", lost[0].LastChange!.Error, data));
        }

        var leading = leases.Count(l => l.IsLeader);
        return Task.FromResult(HealthCheckResult.Healthy($"Leader of {leading} of {leases.Count} projection(s), standby for the others.", data));
    }
}
