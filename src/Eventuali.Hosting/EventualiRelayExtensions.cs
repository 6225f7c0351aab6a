using Eventuali.Messaging;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;

namespace Eventuali.Hosting;

/// <summary><c>services.AddEventualiRelay(...)</c>: a relay publishing one route of the registered store's log to a broker.</summary>
public static class EventualiRelayExtensions
{
    /// <summary>
    /// Registers a relay of <paramref name="route"/> from the store registered with <c>AddEventuali</c> to the broker
    /// <paramref name="publisher"/> makes, run by a hosted service for the lifetime of the host (one relay per route
    /// runs at a time across nodes: the others wait for its lease). The publisher is made when the host starts and
    /// disposed when the relay stops. The relay is resolvable as the keyed service <see cref="EventRelay"/> under the
    /// route's name; the readiness check <see cref="EventualiHealthChecks.RelayLag"/> reports its pauses and lag.
    /// </summary>
    public static IServiceCollection AddEventualiRelay(this IServiceCollection services, RelayRoute route, Func<IServiceProvider, IMessagePublisher> publisher, RelayOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(route);
        ArgumentNullException.ThrowIfNull(publisher);
        if (services.Any(d => d.ServiceType == typeof(EventRelay) && Equals(d.ServiceKey, route.Name)))
        {
            throw new ArgumentException($"A relay of the route '{route.Name}' is registered already: one relay per route.", nameof(route));
        }

        services.TryAddSingleton(new EventualiServiceStates());
        services.AddKeyedSingleton(route.Name, (sp, _) => RelayHostedService.All(sp).First(r => r.Relay.Route.Name == route.Name).Relay);
        services.AddSingleton<IHostedService>(sp =>
        {
            var made = publisher(sp) ?? throw new InvalidOperationException($"The publisher factory of the relay route '{route.Name}' returned null.");
            var relay = new EventRelay(sp.GetRequiredService<IEventStore>(), made, route, options);
            return new RelayHostedService(relay, made, sp.GetRequiredService<EventualiServiceStates>(), EventualiServiceCollectionExtensions.LoggerOf(sp));
        });
        return services;
    }
}
