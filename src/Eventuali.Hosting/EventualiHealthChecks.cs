using Eventuali.Hosting.HealthChecks;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;

namespace Eventuali.Hosting;

/// <summary>Names and tags of the checks <see cref="AddEventualiHealthChecks"/> registers.</summary>
public static class EventualiHealthChecks
{
    /// <summary>Tag of every Eventuali check.</summary>
    public const string Tag = "eventuali";

    /// <summary>Tag of the liveness check: restarting the process is what helps.</summary>
    public const string LiveTag = "live";

    /// <summary>Tag of the readiness checks: the process should not take traffic until they pass.</summary>
    public const string ReadyTag = "ready";

    /// <summary>The store answers (ready).</summary>
    public const string Store = "eventuali-store";

    /// <summary>The schema is at the latest version, nothing modified or unknown (ready).</summary>
    public const string Migrations = "eventuali-migrations";

    /// <summary>Projections are not faulted and within <see cref="EventualiHealthCheckOptions.MaxProjectionLag"/> (ready).</summary>
    public const string ProjectionLag = "eventuali-projection-lag";

    /// <summary>The readable head moves while appends commit (ready).</summary>
    public const string Watermark = "eventuali-watermark";

    /// <summary>Dead letters do not grow beyond <see cref="EventualiHealthCheckOptions.MaxDeadLetterGrowth"/> between runs (ready).</summary>
    public const string DeadLetters = "eventuali-dead-letters";

    /// <summary>This node's projection leases: leader or standby, degraded for a minute after a lease was lost (ready).</summary>
    public const string ProjectionLeases = "eventuali-projection-leases";

    /// <summary>
    /// The relays registered in this host (<c>AddEventualiRelay</c>): none paused on a broker that does not confirm,
    /// and each route's confirmed checkpoint within <see cref="EventualiHealthCheckOptions.MaxRelayLag"/> of the log (ready).
    /// </summary>
    public const string RelayLag = "eventuali-relay-lag";

    /// <summary>No Eventuali hosted service has stopped with an error (live).</summary>
    public const string HostedServices = "eventuali-hosted-services";

    /// <summary>
    /// Registers the Eventuali checks over the store registered with <c>AddEventuali</c>: <see cref="Store"/>,
    /// <see cref="Migrations"/>, <see cref="ProjectionLag"/>, <see cref="Watermark"/>, <see cref="DeadLetters"/>, <see cref="ProjectionLeases"/> and <see cref="RelayLag"/>
    /// tagged <see cref="ReadyTag"/>, <see cref="HostedServices"/> tagged <see cref="LiveTag"/>, all tagged
    /// <see cref="Tag"/>. A failing check reports <paramref name="failureStatus"/> (default unhealthy); each is
    /// given <see cref="EventualiHealthCheckOptions.Timeout"/>.
    /// </summary>
    public static IHealthChecksBuilder AddEventualiHealthChecks(this IHealthChecksBuilder builder, HealthStatus failureStatus = HealthStatus.Unhealthy)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var services = builder.Services;
        services.TryAddSingleton(new EventualiServiceStates());
        services.TryAddSingleton(sp => new StoreHealthCheck(sp.GetRequiredService<IEventStore>()));
        services.TryAddSingleton(sp => new MigrationsHealthCheck(sp.GetRequiredService<IOptions<EventualiOptions>>()));
        services.TryAddSingleton(sp => new ProjectionLagHealthCheck(sp.GetRequiredService<IEventStore>(), sp.GetRequiredService<IOptions<EventualiOptions>>()));
        services.TryAddSingleton(sp => new WatermarkHealthCheck(sp.GetRequiredService<IEventStore>(), sp.GetRequiredService<IOptions<EventualiOptions>>(), EventualiServiceCollectionExtensions.LoggerOf(sp)));
        services.TryAddSingleton(sp => new DeadLetterHealthCheck(sp.GetRequiredService<IEventStore>(), sp.GetRequiredService<IOptions<EventualiOptions>>(), EventualiServiceCollectionExtensions.LoggerOf(sp)));
        services.TryAddSingleton(sp => new ProjectionLeaseHealthCheck(sp.GetService<Projections.ProjectionDaemon>()));
        services.TryAddSingleton(sp => new RelayLagHealthCheck(sp.GetRequiredService<IEventStore>(), RelayHostedService.All(sp), sp.GetRequiredService<IOptions<EventualiOptions>>()));
        services.TryAddSingleton(sp => new HostedServicesHealthCheck(sp.GetRequiredService<EventualiServiceStates>()));

        // The timeout is read when the check runs, so it follows the validated options.
        Add<StoreHealthCheck>(builder, Store, failureStatus, ReadyTag);
        Add<MigrationsHealthCheck>(builder, Migrations, failureStatus, ReadyTag);
        Add<ProjectionLagHealthCheck>(builder, ProjectionLag, failureStatus, ReadyTag);
        Add<WatermarkHealthCheck>(builder, Watermark, failureStatus, ReadyTag);
        Add<DeadLetterHealthCheck>(builder, DeadLetters, failureStatus, ReadyTag);
        Add<ProjectionLeaseHealthCheck>(builder, ProjectionLeases, failureStatus, ReadyTag);
        Add<RelayLagHealthCheck>(builder, RelayLag, failureStatus, ReadyTag);
        Add<HostedServicesHealthCheck>(builder, HostedServices, failureStatus, LiveTag);
        return builder;
    }

    private static void Add<TCheck>(IHealthChecksBuilder builder, string name, HealthStatus failureStatus, string tag)
        where TCheck : class, IHealthCheck
        => builder.Add(new HealthCheckRegistration(
            name,
            sp => new TimedCheck(sp.GetRequiredService<TCheck>(), sp.GetRequiredService<IOptions<EventualiOptions>>().Value.HealthChecks.Timeout),
            failureStatus,
            [Tag, tag]));

    /// <summary>Runs a check within the configured timeout; running out of it is a failure named as such.</summary>
    private sealed class TimedCheck(IHealthCheck inner, TimeSpan timeout) : IHealthCheck
    {
        public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
        {
            ArgumentNullException.ThrowIfNull(context);
            using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            limit.CancelAfter(timeout);
            try
            {
                return await inner.CheckHealthAsync(context, limit.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                return new HealthCheckResult(context.Registration.FailureStatus, $"The check did not finish within {timeout.TotalSeconds:0.###} s.");
            }
        }
    }
}
