using Eventuali.Messaging;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Eventuali.Hosting;

/// <summary>
/// Runs one relay for the lifetime of the host and disposes its publisher when it ends. A broker that refuses the
/// route's configuration stops the relay with an error, which marks this service faulted (the liveness check).
/// </summary>
internal sealed class RelayHostedService(EventRelay relay, IMessagePublisher publisher, EventualiServiceStates states, ILogger logger)
    : EventualiHostedService($"relay '{relay.Route.Name}'", states, logger)
{
    public EventRelay Relay => relay;

    /// <summary>The relays of this host: registered only as hosted services, so the container disposes each once.</summary>
    public static IEnumerable<RelayHostedService> All(IServiceProvider services) => services.GetServices<IHostedService>().OfType<RelayHostedService>();

    protected override async Task RunAsync(CancellationToken stopping)
    {
        try
        {
            await relay.RunAsync(stopping).ConfigureAwait(false);
        }
        finally
        {
            await publisher.DisposeAsync().ConfigureAwait(false);
        }
    }
}
