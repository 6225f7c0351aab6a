using Eventuali.Projections;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Eventuali.Hosting;

/// <summary>Runs a <see cref="ProjectionDaemon"/> for the lifetime of the host: started with it, stopped (batches rolled back or committed whole, leases released) when it stops.</summary>
public sealed class ProjectionDaemonHostedService : IHostedService, IAsyncDisposable
{
    private const string Service = "projection daemon";
    private readonly EventualiServiceStates? _states;
    private readonly ILogger _logger;

    /// <summary>Runs <paramref name="daemon"/>.</summary>
    public ProjectionDaemonHostedService(ProjectionDaemon daemon)
        : this(daemon, null, null)
    {
    }

    /// <summary>Runs <paramref name="daemon"/>, recording its state in <paramref name="states"/> and logging start and stop.</summary>
    public ProjectionDaemonHostedService(ProjectionDaemon daemon, EventualiServiceStates? states, ILogger<ProjectionDaemonHostedService>? logger)
    {
        Daemon = daemon ?? throw new ArgumentNullException(nameof(daemon));
        _states = states;
        _logger = (ILogger?)logger ?? NullLogger.Instance;
        Daemon.LeaseChanged += (_, change) => LogLease(_logger, change);
    }

    /// <summary>The daemon this service runs.</summary>
    public ProjectionDaemon Daemon { get; }

    /// <inheritdoc />
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await Daemon.StartAsync(cancellationToken).ConfigureAwait(false);
        _states?.Set(Service, EventualiServiceState.Running);
        Log.ServiceStarted(_logger, Service);
    }

    /// <inheritdoc />
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        try
        {
            await Daemon.StopAsync(cancellationToken).ConfigureAwait(false);
            _states?.Set(Service, EventualiServiceState.Stopped);
            Log.ServiceStopped(_logger, Service);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            Log.ServiceStopAbandoned(_logger, Service);
        }
    }

    /// <inheritdoc />
    public ValueTask DisposeAsync() => Daemon.DisposeAsync();

    private static void LogLease(ILogger logger, ProjectionLeaseEvent change)
    {
        switch (change.Change)
        {
            case ProjectionLeaseChange.Acquired:
                Log.ProjectionLeaseAcquired(logger, change.Projection, change.Epoch);
                break;
            case ProjectionLeaseChange.Denied:
                Log.ProjectionLeaseDenied(logger, change.Projection);
                break;
            case ProjectionLeaseChange.Lost:
                Log.ProjectionLeaseLost(logger, change.Projection, change.Epoch, change.Error);
                break;
            default:
                Log.ProjectionLeaseReleased(logger, change.Projection, change.Epoch, change.Error);
                break;
        }
    }
}

/// <summary>Registration of the projection daemon in a service collection.</summary>
public static class ProjectionServiceCollectionExtensions
{
    /// <summary>
    /// Registers a projection daemon over the registered <see cref="IEventStore"/> with the given projections, and a
    /// hosted service that starts and stops it with the host. <see cref="ProjectionDaemon"/> is resolvable for status and rebuilds.
    /// </summary>
    public static IServiceCollection AddEventualiProjections(this IServiceCollection services, Func<IServiceProvider, IEnumerable<Projection>> projections, ProjectionDaemonOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(projections);
        services.TryAddSingleton(new EventualiServiceStates());
        services.AddSingleton(sp => new ProjectionDaemon(sp.GetRequiredService<IEventStore>(), projections(sp), options));
        services.AddSingleton(sp => new ProjectionDaemonHostedService(
            sp.GetRequiredService<ProjectionDaemon>(),
            sp.GetRequiredService<EventualiServiceStates>(),
            sp.GetService<ILogger<ProjectionDaemonHostedService>>()));
        services.AddSingleton<IHostedService>(sp => sp.GetRequiredService<ProjectionDaemonHostedService>());
        return services;
    }
}
