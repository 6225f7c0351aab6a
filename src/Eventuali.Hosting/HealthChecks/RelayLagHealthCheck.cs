using Eventuali.Messaging;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;

namespace Eventuali.Hosting.HealthChecks;

/// <summary>
/// The relays registered in this host: none paused (its broker not confirming), and each route's confirmed checkpoint,
/// as stored whichever node leads it, no further behind the log than <see cref="EventualiHealthCheckOptions.MaxRelayLag"/>,
/// measured as the age of the first event after it (positions are not dense on every backend).
/// </summary>
internal sealed class RelayLagHealthCheck(IEventStore store, IEnumerable<RelayHostedService> relays, IOptions<EventualiOptions> options) : IHealthCheck
{
    private readonly RelayHostedService[] _relays = [.. relays];

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (_relays.Length == 0)
        {
            return HealthCheckResult.Healthy("No relay is registered in this host.");
        }

        var max = options.Value.HealthChecks.MaxRelayLag;
        var now = store.Options.TimeProvider.GetUtcNow();
        var statuses = await RelayStatus.ListAsync(store, cancellationToken).ConfigureAwait(false);
        var problems = new List<string>();
        var data = new Dictionary<string, object>();
        foreach (var relay in _relays.Select(r => r.Relay))
        {
            var name = relay.Route.Name;
            if (relay.IsPaused)
            {
                // The adapters' messages name the broker and the reason, never a secret.
                problems.Add($"'{name}' is paused, its broker not confirming: {relay.LastError?.Message}");
            }

            var position = statuses.FirstOrDefault(s => s.Route == name)?.Position ?? 0;
            var lag = await LagAsync(position, now, cancellationToken).ConfigureAwait(false);
            data[name] = lag;
            if (lag > max)
            {
                problems.Add($"'{name}' is {Seconds(lag)} behind the log");
            }
        }

        return problems.Count == 0
            ? HealthCheckResult.Healthy($"Every relay is within {Seconds(max)} of the log.", data)
            : new HealthCheckResult(context.Registration.FailureStatus, $"Relay not keeping up (limit {Seconds(max)}): {string.Join("; ", problems)}.", data: data);
    }

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
