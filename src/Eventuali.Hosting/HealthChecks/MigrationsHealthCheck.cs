using Eventuali.Migrations;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;

namespace Eventuali.Hosting.HealthChecks;

/// <summary>The store's schema is at the version this library expects: nothing pending, nothing modified or unknown.</summary>
internal sealed class MigrationsHealthCheck(IOptions<EventualiOptions> options) : IHealthCheck, IAsyncDisposable
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private ISchemaMigrator? _migrator;

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(context);
        var o = options.Value;
        if (o.Url!.StartsWith("sqlite://:memory:", StringComparison.OrdinalIgnoreCase))
        {
            // A private in-memory database: a migrator would open another, empty one. It is always created at the latest version.
            return HealthCheckResult.Healthy("An in-memory SQLite store is created at the latest schema version.");
        }

        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            // One migrator for the check's lifetime: on PostgreSQL each would otherwise open a connection pool per run.
            _migrator ??= await SchemaMigrator.ForUrlAsync(o.Url, o.StoreOptions, cancellationToken).ConfigureAwait(false);
            var status = await _migrator.StatusAsync(cancellationToken).ConfigureAwait(false);
            return Describe(status, context.Registration.FailureStatus);
        }
        finally
        {
            _gate.Release();
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_migrator is not null)
        {
            await _migrator.DisposeAsync().ConfigureAwait(false);
        }

        _gate.Dispose();
    }

    private static HealthCheckResult Describe(MigrationStatus status, HealthStatus failureStatus)
    {
        var data = new Dictionary<string, object> { ["currentVersion"] = status.CurrentVersion, ["latestVersion"] = status.LatestVersion };
        if (status.IsUpToDate)
        {
            return HealthCheckResult.Healthy($"The schema is at version {status.CurrentVersion}, the latest.", data);
        }

        var errors = status.Errors.Select(m => $"{m.Version} ({m.State})").ToList();
        var description = errors.Count > 0
            ? $"The schema has migrations this library cannot use: {string.Join(", ", errors)}."
            : $"The schema is at version {status.CurrentVersion}; pending: {string.Join(", ", status.Pending.Select(m => m.Version))} (run 'eventuali migrate up').";
        return new HealthCheckResult(failureStatus, description, data: data);
    }
}
