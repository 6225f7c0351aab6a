using Eventuali.Statistics;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Eventuali.Hosting.HealthChecks;

/// <summary>
/// The global log's readable head keeps moving while appends commit. Committed events above a readable head that has
/// not moved for <see cref="EventualiHealthCheckOptions.MaxWatermarkStall"/> make it unhealthy, even when every
/// projection has caught up with that head: they are caught up with a log that has stopped.
/// </summary>
internal sealed class WatermarkHealthCheck(IEventStore store, IOptions<EventualiOptions> options, ILogger logger) : IHealthCheck
{
    private readonly Lock _gate = new();
    private long _heldAt = -1;
    private DateTimeOffset _heldSince;
    private bool _reported;

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (store.GetFeature<ILogWatermark>() is not { } source)
        {
            return HealthCheckResult.Healthy("The store does not report its watermark.");
        }

        var w = await source.GetLogWatermarkAsync(cancellationToken).ConfigureAwait(false);
        var data = new Dictionary<string, object> { ["readableHead"] = w.ReadableHead, ["committedHead"] = w.CommittedHead };
        var now = store.Options.TimeProvider.GetUtcNow();
        var max = options.Value.HealthChecks.MaxWatermarkStall;
        TimeSpan stalled;
        bool report;
        lock (_gate)
        {
            if (!w.IsHeldBack)
            {
                (_heldAt, _reported) = (-1, false);
                return HealthCheckResult.Healthy($"The readable head is at {w.ReadableHead}; no committed event waits above it.", data);
            }

            if (_heldAt != w.ReadableHead)
            {
                // Held back, but the head moved since the last look (or this is the first): the clock starts now.
                (_heldAt, _heldSince, _reported) = (w.ReadableHead, now, false);
            }

            stalled = now - _heldSince;
            report = stalled >= max && !_reported;
            _reported |= report;
        }

        data["stalledSeconds"] = stalled.TotalSeconds;
        if (stalled < max)
        {
            return HealthCheckResult.Healthy($"Committed events wait above the readable head {w.ReadableHead}; it has not moved for {stalled.TotalSeconds:0.###} s.", data);
        }

        if (report)
        {
            Log.WatermarkStalled(logger, w.ReadableHead, w.CommittedHead, (long)stalled.TotalSeconds);
        }

        return new HealthCheckResult(
            context.Registration.FailureStatus,
            $"The readable head has stayed at {w.ReadableHead} for {stalled.TotalSeconds:0.###} s while committed events reach {w.CommittedHead}: " +
            "readers, projections and subscriptions see nothing newer (PostgreSQL: a transaction left open holds it back).",
            data: data);
    }
}
