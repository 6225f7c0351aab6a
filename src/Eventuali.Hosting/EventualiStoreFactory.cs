using System.Diagnostics;
using Eventuali.Caching;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Eventuali.Hosting;

/// <summary>
/// Opens the configured store once, on first resolve (hosted services take the store in their constructors, so it
/// must exist before the host starts them). Validation runs first: an invalid option fails with its name before
/// any connection is tried. The container disposes the store with the host.
/// </summary>
internal static class EventualiStoreFactory
{
    public static IEventStore Open(IOptions<EventualiOptions> options, IAggregateCache? cache, ILogger logger)
    {
        var o = options.Value; // runs the validators; throws OptionsValidationException naming the option
        var url = o.Url!;

        // A cache registered in the container serves the store unless the store options name one of their own.
        var storeOptions = cache is not null && o.StoreOptions?.AggregateCache is null
            ? (o.StoreOptions ?? new EventStoreOptions()) with { AggregateCache = cache }
            : o.StoreOptions;
        var redacted = EventStore.RedactUrl(url);
        var clock = Stopwatch.StartNew();
        try
        {
            // The container's factories are synchronous; the open runs on the pool so no caller's context is blocked on.
            var store = Task.Run(async () => o.CreateIfMissing
                    ? await EventStore.CreateAsync(url, storeOptions).ConfigureAwait(false)
                    : await EventStore.OpenExistingAsync(url, storeOptions).ConfigureAwait(false))
                .GetAwaiter().GetResult();
            Log.StoreOpened(logger, redacted, clock.ElapsedMilliseconds);
            return store;
        }
        catch (Exception ex)
        {
            Log.StoreOpenFailed(logger, redacted, ex);
            throw;
        }
    }
}
