using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Eventuali.Server.Endpoints;

/// <summary>The global log and categories, one page at a time; only events the caller may read are returned.</summary>
internal static class LogEndpoints
{
    public static void Map(IEndpointRouteBuilder routes)
    {
        routes.MapGet("/all", ReadAllAsync)
            .WithName("ReadAll").WithSummary("Reads the global log from a position (events outside the caller's scope are left out)")
            .Produces<EventPageDocument>().ProducesProblem(400).ProducesProblem(401).ProducesProblem(403);
        routes.MapGet("/categories/{category}", ReadCategoryAsync)
            .WithName("ReadCategory").WithSummary("Reads the events of streams whose id starts with the category, from a position")
            .Produces<EventPageDocument>().ProducesProblem(400).ProducesProblem(401).ProducesProblem(403);
    }

    private static Task ReadAllAsync(HttpContext context, string? from, string? limit, string? type)
        => ReadAsync(context, "read-all", null, from, limit, type);

    private static Task ReadCategoryAsync(HttpContext context, string category, string? from, string? limit, string? type)
        => ReadAsync(context, "read-category", category, from, limit, type);

    private static Task ReadAsync(HttpContext context, string operation, string? category, string? from, string? limit, string? type)
    {
        var server = ServerContext.Of(context);
        return server.RunAsync(context, operation, ApiRole.Read, null, async caller =>
        {
            var (okFrom, start) = await Query.LongAsync(context, "from", from, 1, 1).ConfigureAwait(false);
            var (okLimit, count) = okFrom ? await Query.LimitAsync(context, limit, server.Options).ConfigureAwait(false) : (false, 0);
            if (!okLimit)
            {
                return;
            }

            var prefix = caller.NarrowPrefix(category);
            var events = prefix is null
                ? AsyncEnumerable.Empty<RecordedEvent>()
                : server.Store.ReadAllAsync(start, count, Filter(prefix, type), context.RequestAborted);
            await Paging.WriteAsync(context, caller, events, (last, read) => read < count || last is null ? null : last.Position + 1).ConfigureAwait(false);
        });
    }

    internal static EventFilter? Filter(string prefix, string? type)
        => prefix.Length == 0 && string.IsNullOrEmpty(type)
            ? null
            : new EventFilter
            {
                StreamIdPrefix = prefix.Length == 0 ? null : prefix,
                EventTypes = string.IsNullOrEmpty(type) ? null : type.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries),
            };
}
