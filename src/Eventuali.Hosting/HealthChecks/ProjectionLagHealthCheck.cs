using Eventuali.Projections;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;

namespace Eventuali.Hosting.HealthChecks;

/// <summary>
/// Every projection stored in the store (whichever node runs it) is not faulted, and the oldest readable event it has
/// not applied yet is younger than <see cref="EventualiHealthCheckOptions.MaxProjectionLag"/>. Lag is measured in time
/// from the event's timestamp because positions are not dense on every backend.
/// </summary>
internal sealed class ProjectionLagHealthCheck(IEventStore store, IOptions<EventualiOptions> options) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (store.GetFeature<IProjectionStore>() is not { } projections)
        {
            return HealthCheckResult.Healthy("The store keeps no projections.");
        }

        var max = options.Value.HealthChecks.MaxProjectionLag;
        var now = store.Options.TimeProvider.GetUtcNow();
        var problems = new List<string>();
        var data = new Dictionary<string, object>();
        if (await ProjectionRows.ListAsync(projections, cancellationToken).ConfigureAwait(false) is not { } rows)
        {
            return HealthCheckResult.Healthy("The store keeps no projections.");
        }

        foreach (var row in rows)
        {
            if (row.State == ProjectionState.Faulted)
            {
                problems.Add($"'{row.Name}' is faulted at position {row.Position}");
                data[row.Name] = "faulted";
                continue;
            }

            var lag = await LagAsync(row.Position, now, cancellationToken).ConfigureAwait(false);
            data[row.Name] = lag;
            if (lag > max)
            {
                problems.Add($"'{row.Name}' is {Seconds(lag)} behind ({row.State})");
            }
        }

        return problems.Count == 0
            ? HealthCheckResult.Healthy($"Every projection is within {Seconds(max)} of the log.", data)
            : new HealthCheckResult(context.Registration.FailureStatus, $"Projection lag over {Seconds(max)}: {string.Join("; ", problems)}.", data: data);
    }

    /// <summary>The age of the first readable event after <paramref name="position"/>; zero when there is none.</summary>
    private async ValueTask<TimeSpan> LagAsync(long position, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await foreach (var next in store.ReadAllAsync(position + 1, 1, cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            return next.Timestamp < now ? now - next.Timestamp : TimeSpan.Zero;
        }

        return TimeSpan.Zero;
    }

    private static string Seconds(TimeSpan t) => $"{t.TotalSeconds:0.###} s";
}
