using Eventuali.Migrations;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;

namespace Eventuali.Hosting.HealthChecks;

/// <summary>The store's schema is at the version this library expects: nothing pending, nothing modified or unknown.</summary>
internal sealed class MigrationsHealthCheck(IOptions<EventualiOptions> options) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(context);
        var o = options.Value;
        var migrator = await SchemaMigrator.ForUrlAsync(o.Url!, o.StoreOptions, cancellationToken).ConfigureAwait(false);
        await using (migrator.ConfigureAwait(false))
        {
            var status = await migrator.StatusAsync(cancellationToken).ConfigureAwait(false);
            var data = new Dictionary<string, object> { ["currentVersion"] = status.CurrentVersion, ["latestVersion"] = status.LatestVersion };
            if (status.IsUpToDate)
            {
                return HealthCheckResult.Healthy($"The schema is at version {status.CurrentVersion}, the latest.", data);
            }

            var errors = status.Errors.Select(m => $"{m.Version} ({m.State})").ToList();
            var pending = status.Pending.Select(m => m.Version).ToList();
            var description = errors.Count > 0
                ? $"The schema has migrations this library cannot use: {string.Join(", ", errors)}."
                : $"The schema is at version {status.CurrentVersion}; pending: {string.Join(", ", pending)} (run 'eventuali migrate up').";
            return new HealthCheckResult(context.Registration.FailureStatus, description, data: data);
        }
    }
}
