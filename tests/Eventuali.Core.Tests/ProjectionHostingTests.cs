using Eventuali.Conformance;
using Eventuali.Hosting;
using Eventuali.InMemory;
using Eventuali.Projections;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Eventuali.Core.Tests;

/// <summary>The hosted-service adapter: the registrations resolve to one daemon that the host starts and stops.</summary>
public sealed class ProjectionHostingTests
{
    /// <summary>Resolves singletons from the registered factories (what a container does for these registrations).</summary>
    private sealed class Provider(IServiceCollection services) : IServiceProvider
    {
        private readonly Dictionary<Type, object> _made = [];

        public object? GetService(Type serviceType)
        {
            if (_made.TryGetValue(serviceType, out var made))
            {
                return made;
            }

            var descriptor = services.LastOrDefault(d => d.ServiceType == serviceType);
            var instance = descriptor?.ImplementationInstance ?? descriptor?.ImplementationFactory?.Invoke(this);
            if (instance is not null)
            {
                _made[serviceType] = instance;
            }

            return instance;
        }
    }

    [Fact]
    public async Task The_host_starts_and_stops_the_daemon()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var store = new InMemoryEventStore();
        var services = new ServiceCollection();
        services.AddSingleton<IEventStore>(store);
        services.AddEventualiProjections(_ => [new CountingProjection()], new ProjectionDaemonOptions { NodeId = "host-1", PollInterval = TimeSpan.FromMilliseconds(10) });
        var provider = new Provider(services);

        var hosted = (IHostedService)provider.GetService(typeof(IHostedService))!;
        var daemon = (ProjectionDaemon)provider.GetService(typeof(ProjectionDaemon))!;
        Assert.Same(daemon, ((ProjectionDaemonHostedService)hosted).Daemon);

        await hosted.StartAsync(ct);
        await store.AppendAsync("acct-1", ExpectedVersion.Any, [EventData.Json("deposited", """{"amount":3}""")], ct);
        var status = await daemon.WaitForCatchUpAsync("accounts", ct);
        Assert.Equal("host-1", status.Owner);
        Assert.NotNull(await store.GetProjectionDocumentAsync("accounts", "acct-1", ct));

        await hosted.StopAsync(ct);
        Assert.Equal(ProjectionState.Stopped, (await store.GetProjectionStatusAsync("accounts", ct))!.State);
    }
}
