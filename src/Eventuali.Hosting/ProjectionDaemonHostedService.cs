using Eventuali.Projections;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Eventuali.Hosting;

/// <summary>Runs a <see cref="ProjectionDaemon"/> for the lifetime of the host: started with it, stopped (batches rolled back or committed whole, leases released) when it stops.</summary>
public sealed class ProjectionDaemonHostedService(ProjectionDaemon daemon) : IHostedService, IAsyncDisposable
{
    /// <summary>The daemon this service runs.</summary>
    public ProjectionDaemon Daemon { get; } = daemon ?? throw new ArgumentNullException(nameof(daemon));

    /// <inheritdoc />
    public Task StartAsync(CancellationToken cancellationToken) => Daemon.StartAsync(cancellationToken);

    /// <inheritdoc />
    public Task StopAsync(CancellationToken cancellationToken) => Daemon.StopAsync(cancellationToken);

    /// <inheritdoc />
    public ValueTask DisposeAsync() => Daemon.DisposeAsync();
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
        services.AddSingleton(sp => new ProjectionDaemon(sp.GetRequiredService<IEventStore>(), projections(sp), options));
        services.AddSingleton(sp => new ProjectionDaemonHostedService(sp.GetRequiredService<ProjectionDaemon>()));
        services.AddSingleton<IHostedService>(sp => sp.GetRequiredService<ProjectionDaemonHostedService>());
        return services;
    }
}
