using System.Text;
using Eventuali.Tools.Diagrams;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Eventuali.Server.Endpoints;

/// <summary>
/// The event-flow diagram (which event types lead to which, from command headers, causation ids and saga actors), as
/// the JSON of <c>eventuali diagram --format json</c>, built only from events the caller may read.
/// </summary>
internal static class DiagramEndpoints
{
    public static void Map(IEndpointRouteBuilder routes)
        => routes.MapGet("/diagram", DiagramAsync)
            .WithName("GetEventFlowDiagram").WithSummary("The event-flow graph (nodes, edges with counts and latencies, slowest edges) of the streams the caller may read, optionally one category")
            .Produces(StatusCodes.Status200OK, contentType: "application/json").ProducesProblem(401).ProducesProblem(403);

    private static Task DiagramAsync(HttpContext context, string? category)
    {
        var server = ServerContext.Of(context);
        return server.RunAsync(context, "diagram", ApiRole.Read, null, async caller =>
        {
            var builder = new EventFlowGraphBuilder();
            if (caller.NarrowPrefix(category) is { } prefix)
            {
                var events = server.Store.ReadAllAsync(1, int.MaxValue, prefix.Length == 0 ? null : EventFilter.ForCategory(prefix), context.RequestAborted);
                // The server's own streams (API keys) and anything outside the caller's scope never reach the graph.
                await builder.AddAsync(events.Where(e => caller.CanSee(e.StreamId)), context.RequestAborted).ConfigureAwait(false);
            }

            context.Response.ContentType = "application/json; charset=utf-8";
            await context.Response.WriteAsync(FlowRenderer.ToJson(builder.Build()), Encoding.UTF8, context.RequestAborted).ConfigureAwait(false);
        });
    }
}
