using Eventuali.Subscriptions;
using Microsoft.Extensions.Logging;

namespace Eventuali.Hosting;

/// <summary>Runs one handler-based catch-up subscription for the lifetime of the host; stopping saves its checkpoint.</summary>
internal sealed class SubscriptionHostedService(
    IEventStore store,
    SubscriptionOptions options,
    Func<RecordedEvent, CancellationToken, ValueTask> handler,
    EventualiServiceStates states,
    ILogger logger)
    : EventualiHostedService($"subscription '{options.Name}'", states, logger)
{
    protected override async Task RunAsync(CancellationToken stopping)
    {
        var subscription = store.StartSubscription(options, handler, stopping);
        await using (subscription.ConfigureAwait(false))
        {
            // Completes when stopped (checkpoint saved); faults with SubscriptionFailedException when the handler or the store failed.
            await subscription.Completion.ConfigureAwait(false);
        }
    }
}
