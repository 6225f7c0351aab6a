using Eventuali.Lifecycle;
using Eventuali.Projections;
using Eventuali.Statistics;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Eventuali.Server.Endpoints;

/// <summary>Stream lifecycle (admin), projections, statistics, and who the caller is.</summary>
internal static class AdminEndpoints
{
    public static void Map(IEndpointRouteBuilder routes)
    {
        routes.MapDelete("/streams/{id}", DeleteAsync)
            .WithName("DeleteStream").WithSummary("Deletes a stream (mode=soft|hard|tombstone; admin)")
            .Produces<LifecycleResultDocument>().ProducesProblem(400).ProducesProblem(401).ProducesProblem(403).ProducesProblem(501);
        routes.MapPost("/streams/{id}/truncate", TruncateAsync)
            .WithName("TruncateStream").WithSummary("Removes the events below a version (before=V; admin)")
            .Produces<LifecycleResultDocument>().ProducesProblem(400).ProducesProblem(401).ProducesProblem(403).ProducesProblem(410).ProducesProblem(501);
        routes.MapPost("/streams/{id}/archive", ArchiveAsync)
            .WithName("ArchiveStream").WithSummary("Moves the events below a version (default all) to archive storage (admin)")
            .Produces<LifecycleResultDocument>().ProducesProblem(400).ProducesProblem(401).ProducesProblem(403).ProducesProblem(410).ProducesProblem(501);
        routes.MapPost("/streams/{id}/restore", RestoreAsync)
            .WithName("RestoreStream").WithSummary("Brings back a soft-deleted stream (admin)")
            .Produces<LifecycleResultDocument>().ProducesProblem(401).ProducesProblem(403).ProducesProblem(410).ProducesProblem(501);
        routes.MapGet("/projections", ProjectionsAsync)
            .WithName("ListProjections").WithSummary("Every projection's position, lag, state and dead letters")
            .Produces<ProjectionDocument[]>().ProducesProblem(401).ProducesProblem(501);
        routes.MapPost("/projections/{name}/rebuild", RebuildAsync)
            .WithName("RebuildProjection").WithSummary("Asks the projection daemon to rebuild a projection from a position (default 1; admin)")
            .Produces(StatusCodes.Status202Accepted).ProducesProblem(400).ProducesProblem(401).ProducesProblem(403).ProducesProblem(404).ProducesProblem(501);
        routes.MapGet("/stats", StatisticsAsync)
            .WithName("GetStatistics").WithSummary("Stream and event counts and the head of the log (admin)")
            .Produces<StatisticsDocument>().ProducesProblem(401).ProducesProblem(403);
        routes.MapGet("/me", (HttpContext context, CancellationToken _) => ServerContext.Of(context).RunAsync(context, "whoami", ApiRole.Read, null, caller =>
                context.Response.WriteAsJsonAsync(new CallerDocument(caller.Actor, ApiRoles.ToText(caller.Role), caller.Scope, caller.Tenant), ServerJson.Default.CallerDocument, cancellationToken: context.RequestAborted)))
            .WithName("WhoAmI").WithSummary("The caller's identity, role and scope")
            .Produces<CallerDocument>().ProducesProblem(401);
    }

    private static Task DeleteAsync(HttpContext context, string id, string? mode)
        => Lifecycle(context, id, "delete-stream", async (lifecycle, ct) =>
        {
            var deleteMode = mode?.ToUpperInvariant() switch
            {
                null or "SOFT" => DeleteMode.Soft,
                "HARD" => DeleteMode.Hard,
                "TOMBSTONE" => DeleteMode.Tombstone,
                _ => (DeleteMode?)null,
            };
            if (deleteMode is null)
            {
                await Problems.WriteAsync(context, Problems.InvalidParameter, "'mode' must be soft, hard or tombstone.").ConfigureAwait(false);
                return null;
            }

            return await lifecycle.DeleteStreamAsync(id, deleteMode.Value, ct).ConfigureAwait(false) ? 1 : 0;
        });

    private static Task TruncateAsync(HttpContext context, string id, string? before)
        => Lifecycle(context, id, "truncate-stream", async (lifecycle, ct) =>
        {
            if (before is null)
            {
                await Problems.WriteAsync(context, Problems.InvalidParameter, "'before' (the first version to keep) is required.").ConfigureAwait(false);
                return null;
            }

            var (ok, version) = await Query.LongAsync(context, "before", before, 1, 1).ConfigureAwait(false);
            return ok ? await lifecycle.TruncateStreamAsync(id, version, ct).ConfigureAwait(false) : null;
        });

    private static Task ArchiveAsync(HttpContext context, string id, string? before)
        => Lifecycle(context, id, "archive-stream", async (lifecycle, ct) =>
        {
            var (ok, version) = await Query.LongAsync(context, "before", before, long.MaxValue, 1).ConfigureAwait(false);
            return ok ? await lifecycle.ArchiveStreamAsync(id, version, ct).ConfigureAwait(false) : null;
        });

    private static Task RestoreAsync(HttpContext context, string id)
        => Lifecycle(context, id, "restore-stream", async (lifecycle, ct) => await lifecycle.RestoreStreamAsync(id, ct).ConfigureAwait(false) ? 1 : 0);

    private static Task Lifecycle(HttpContext context, string id, string operation, Func<IStreamLifecycle, CancellationToken, Task<long?>> run)
    {
        var server = ServerContext.Of(context);
        return server.RunAsync(context, operation, ApiRole.Admin, id, async _ =>
        {
            var changed = await run(server.Store.GetStreamLifecycle(), context.RequestAborted).ConfigureAwait(false);
            if (changed is { } events)
            {
                await context.Response.WriteAsJsonAsync(new LifecycleResultDocument(id, events), ServerJson.Default.LifecycleResultDocument, cancellationToken: context.RequestAborted).ConfigureAwait(false);
            }
        });
    }

    private static Task ProjectionsAsync(HttpContext context, CancellationToken cancellationToken)
    {
        var server = ServerContext.Of(context);
        return server.RunAsync(context, "list-projections", ApiRole.Read, null, async _ =>
        {
            var statuses = await server.Store.GetProjectionStatusesAsync(context.RequestAborted).ConfigureAwait(false);
            var documents = statuses.Select(s => new ProjectionDocument(s.Name, s.Position, s.HeadPosition, s.Lag, ProjectionStates.ToText(s.State), s.Error, s.DeadLetters, s.RebuildRequestedFrom)).ToArray();
            await context.Response.WriteAsJsonAsync(documents, ServerJson.Default.ProjectionDocumentArray, cancellationToken: context.RequestAborted).ConfigureAwait(false);
        });
    }

    private static Task RebuildAsync(HttpContext context, string name, string? from)
    {
        var server = ServerContext.Of(context);
        return server.RunAsync(context, "rebuild-projection", ApiRole.Admin, null, async _ =>
        {
            var (ok, position) = await Query.LongAsync(context, "from", from, 1, 1).ConfigureAwait(false);
            if (!ok)
            {
                return;
            }

            if (!await server.Store.GetProjectionStore().RequestProjectionRebuildAsync(name, position, context.RequestAborted).ConfigureAwait(false))
            {
                await Problems.WriteAsync(context, Problems.NotFound, "No projection has that name.").ConfigureAwait(false);
                return;
            }

            context.Response.StatusCode = StatusCodes.Status202Accepted;
        });
    }

    private static Task StatisticsAsync(HttpContext context, CancellationToken cancellationToken)
    {
        var server = ServerContext.Of(context);
        return server.RunAsync(context, "statistics", ApiRole.Admin, null, async _ =>
        {
            var head = await server.Store.GetHeadPositionAsync(context.RequestAborted).ConfigureAwait(false);
            var stats = server.Store.GetFeature<IStoreStatistics>() is { } statistics
                ? await statistics.GetStatisticsAsync(context.RequestAborted).ConfigureAwait(false)
                : null;
            await context.Response.WriteAsJsonAsync(new StatisticsDocument(stats?.Streams ?? 0, stats?.Events ?? 0, head), ServerJson.Default.StatisticsDocument, cancellationToken: context.RequestAborted).ConfigureAwait(false);
        });
    }
}
