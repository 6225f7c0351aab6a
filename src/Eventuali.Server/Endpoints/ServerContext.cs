using Eventuali.Auditing;
using Eventuali.Server.Access;
using Eventuali.Tenancy;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Eventuali.Server.Endpoints;

/// <summary>What every handler needs: the store, the options, the access gate, and one way to run a handler.</summary>
internal sealed partial class ServerContext(IEventStore store, IOptions<EventualiServerOptions> options, AccessGate gate, ILogger<ServerContext> logger, IServiceProvider services) : IAsyncDisposable
{
    private readonly Lazy<LiveTail?> _tail = new(() => options.Value.SseSharedTail && LiveTail.CanServe(store) ? new LiveTail(store) : null);

    // The tenant store of the request running on this flow (see RunAsync), so handlers need not know about tenancy.
    private readonly AsyncLocal<IEventStore?> _requestStore = new();

    /// <summary>The store the current request works on: its tenant's when tenancy routed it there, else the server's own.</summary>
    public IEventStore Store => _requestStore.Value ?? store;

    /// <summary>The tenant stores when tenancy is on (an <see cref="ITenantStoreFactory"/> is registered), else null.</summary>
    public ITenantStoreFactory? Tenants { get; } = services.GetService<ITenantStoreFactory>();
    public EventualiServerOptions Options { get; } = options.Value;
    public AccessGate Gate { get; } = gate;
    public TimeProvider Clock => store.Options.TimeProvider;

    /// <summary>The live subscription <c>/subscribe/all</c> shares on the server's own store, or null (a tenant's request, or not shared).</summary>
    public LiveTail? SharedTail => _requestStore.Value is null ? _tail.Value : null;

    public async ValueTask DisposeAsync()
    {
        if (_tail.IsValueCreated && _tail.Value is { } tail)
        {
            await tail.DisposeAsync().ConfigureAwait(false);
        }
    }

    public static ServerContext Of(HttpContext context) => context.RequestServices.GetRequiredService<ServerContext>();

    /// <summary>
    /// Admits the caller, then runs <paramref name="body"/> as that caller (the store's audit log, when on, names it),
    /// turning store errors into Problem Details. An unexpected error is logged and answered 500 without details; one
    /// after the response started aborts the connection, so a client never mistakes a cut-off body for a whole one.
    /// </summary>
    public async Task RunAsync(HttpContext context, string operation, ApiRole role, string? streamId, Func<Caller, Task> body, bool expectedFromHeader = false)
    {
        if (streamId is not null && !await Query.StreamIdAsync(context, streamId).ConfigureAwait(false))
        {
            return;
        }

        try
        {
            // Inside the try: checking a key reads the key stream, and a store outage there is a 503 like any other.
            var caller = await Gate.EnterAsync(context, operation, role, streamId).ConfigureAwait(false);
            if (caller is null)
            {
                return;
            }

            var (proceed, tenantStore) = await TenantRouting.ResolveAsync(context, Tenants, Options.RequireTenant, Gate, caller, operation, role).ConfigureAwait(false);
            if (!proceed)
            {
                return;
            }

            _requestStore.Value = tenantStore;
            try
            {
                using (AuditContext.Begin(caller.Actor))
                {
                    await body(caller).ConfigureAwait(false);
                }
            }
            finally
            {
                if (tenantStore is not null)
                {
                    // Releases this request's hold on the tenant's store; the factory keeps it open for others.
                    await tenantStore.DisposeAsync().ConfigureAwait(false);
                }
            }
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            // The client went away; nothing to answer.
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            if (context.Response.HasStarted)
            {
                LogFailedMidResponse(logger, operation, ex.GetType().Name);
                context.Abort();
                return;
            }

            if (Problems.From(ex, expectedFromHeader) is { } problem)
            {
                await Problems.WriteAsync(context, problem.Type, problem.Detail).ConfigureAwait(false);
                return;
            }

            LogFailed(logger, ex, operation);
            await Problems.WriteAsync(context, Problems.Internal, "The request failed unexpectedly; the server log has the details.").ConfigureAwait(false);
        }
    }

    [LoggerMessage(10, LogLevel.Error, "HTTP {Operation} failed")]
    private static partial void LogFailed(ILogger logger, Exception ex, string operation);

    [LoggerMessage(11, LogLevel.Warning, "HTTP {Operation} failed after the response started ({ErrorType}); the connection was aborted")]
    private static partial void LogFailedMidResponse(ILogger logger, string operation, string errorType);
}
