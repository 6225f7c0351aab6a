using Eventuali.Projections;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Eventuali.Hosting.HealthChecks;

/// <summary>
/// No projection gained more than <see cref="EventualiHealthCheckOptions.MaxDeadLetterGrowth"/> dead letters since
/// the previous run of this check. Dead letters already there are no failure: growth is, because events are being
/// parked now. The first run sets the baseline.
/// </summary>
internal sealed class DeadLetterHealthCheck(IEventStore store, IOptions<EventualiOptions> options, ILogger logger) : IHealthCheck
{
    private readonly Lock _gate = new();
    private Dictionary<string, long>? _previous;

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (store.GetFeature<IProjectionStore>() is not { } projections)
        {
            return HealthCheckResult.Healthy("The store keeps no projections.");
        }

        if (await ProjectionRows.ListAsync(projections, cancellationToken).ConfigureAwait(false) is not { } rows)
        {
            return HealthCheckResult.Healthy("The store keeps no projections.");
        }

        var now = rows.ToDictionary(r => r.Name, r => r.DeadLetters, StringComparer.Ordinal);
        var max = options.Value.HealthChecks.MaxDeadLetterGrowth;
        var grown = new List<(string Projection, long Before, long After)>();
        lock (_gate)
        {
            if (_previous is not null)
            {
                foreach (var (name, count) in now)
                {
                    var before = _previous.GetValueOrDefault(name);
                    if (count - before > max)
                    {
                        grown.Add((name, before, count));
                    }
                }
            }

            _previous = now;
        }

        var data = now.ToDictionary(p => p.Key, p => (object)p.Value, StringComparer.Ordinal);
        if (grown.Count == 0)
        {
            return HealthCheckResult.Healthy($"Dead letters: {now.Values.Sum()} in all, none new beyond {max}.", data);
        }

        foreach (var (projection, before, after) in grown)
        {
            Log.DeadLettersGrew(logger, projection, before, after);
        }

        return new HealthCheckResult(
            context.Registration.FailureStatus,
            $"Dead letters grew: {string.Join("; ", grown.Select(g => $"'{g.Projection}' from {g.Before} to {g.After}"))}.",
            data: data);
    }
}
