using System.Diagnostics;
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
    public static IEventStore Open(IOptions<EventualiOptions> options, ILogger logger)
    {
        var o = options.Value; // runs the validators; throws OptionsValidationException naming the option
        var url = o.Url!;
        var redacted = EventStore.RedactUrl(url);
        var clock = Stopwatch.StartNew();
        try
        {
            // The container's factories are synchronous; the open runs on the pool so no caller's context is blocked on.
            var store = Task.Run(async () => o.CreateIfMissing
                    ? await EventStore.CreateAsync(url, o.StoreOptions).ConfigureAwait(false)
                    : await EventStore.OpenExistingAsync(url, o.StoreOptions).ConfigureAwait(false))
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
