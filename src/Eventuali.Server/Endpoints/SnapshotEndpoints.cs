using Eventuali.Snapshots;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Eventuali.Server.Endpoints;

/// <summary>A stream's snapshots: what is stored (read, within the caller's scope) and deleting them (admin).</summary>
internal static class SnapshotEndpoints
{
    /// <summary>A stream keeps few snapshots; a listing stops here all the same.</summary>
    private const int MaxListed = 1000;

    public static void Map(IEndpointRouteBuilder routes)
    {
        routes.MapGet("/streams/{id}/snapshots", ListAsync)
            .WithName("ListSnapshots").WithSummary("A stream's snapshots without their data, newest (the one a load uses) first")
            .Produces<SnapshotListDocument>().ProducesProblem(400).ProducesProblem(401).ProducesProblem(403).ProducesProblem(501);
        routes.MapGet("/streams/{id}/snapshots/latest", LatestAsync)
            .WithName("GetLatestSnapshot").WithSummary("A stream's newest snapshot, without its data")
            .Produces<SnapshotDocument>().ProducesProblem(400).ProducesProblem(401).ProducesProblem(403).ProducesProblem(404).ProducesProblem(501);
        routes.MapDelete("/streams/{id}/snapshots", DeleteAsync)
            .WithName("DeleteSnapshots").WithSummary("Deletes a stream's snapshots but the newest 'keep' (default 0: all); the events stay (admin)")
            .Produces<SnapshotDeleteDocument>().ProducesProblem(400).ProducesProblem(401).ProducesProblem(403).ProducesProblem(501);
    }

    private static Task ListAsync(HttpContext context, string id)
    {
        var server = ServerContext.Of(context);
        return server.RunAsync(context, "list-snapshots", ApiRole.Read, id, async _ =>
        {
            var list = new List<SnapshotDocument>();
            await foreach (var info in Snapshots(server).ListSnapshotsAsync(id, context.RequestAborted).ConfigureAwait(false))
            {
                list.Add(Document(info));
                if (list.Count >= MaxListed)
                {
                    break;
                }
            }

            await context.Response.WriteAsJsonAsync(new SnapshotListDocument(id, list), AdminJson.Default.SnapshotListDocument, cancellationToken: context.RequestAborted).ConfigureAwait(false);
        });
    }

    private static Task LatestAsync(HttpContext context, string id)
    {
        var server = ServerContext.Of(context);
        return server.RunAsync(context, "read-snapshot", ApiRole.Read, id, async _ =>
        {
            var snapshot = await Snapshots(server).ReadSnapshotAsync(id, long.MaxValue, context.RequestAborted).ConfigureAwait(false);
            if (snapshot is null)
            {
                await Problems.WriteAsync(context, Problems.NotFound, "The stream has no snapshot.").ConfigureAwait(false);
                return;
            }

            await context.Response.WriteAsJsonAsync(Document(snapshot.ToInfo()), AdminJson.Default.SnapshotDocument, cancellationToken: context.RequestAborted).ConfigureAwait(false);
        });
    }

    private static Task DeleteAsync(HttpContext context, string id, string? keep)
    {
        var server = ServerContext.Of(context);
        return server.RunAsync(context, "delete-snapshots", ApiRole.Admin, id, async _ =>
        {
            var (ok, count) = await Query.LongAsync(context, "keep", keep, 0, 0).ConfigureAwait(false);
            if (!ok)
            {
                return;
            }

            var deleted = await Snapshots(server).PruneSnapshotsAsync(id, (int)Math.Min(count, int.MaxValue), context.RequestAborted).ConfigureAwait(false);
            await context.Response.WriteAsJsonAsync(new SnapshotDeleteDocument(id, deleted), AdminJson.Default.SnapshotDeleteDocument, cancellationToken: context.RequestAborted).ConfigureAwait(false);
        });
    }

    // NotSupportedException is answered 501 by ServerContext.
    private static ISnapshotStore Snapshots(ServerContext server)
        => server.Store.GetFeature<ISnapshotStore>() ?? throw new NotSupportedException("This store keeps no snapshots.");

    private static SnapshotDocument Document(SnapshotInfo s)
        => new(s.StreamId, s.Version, s.Position, s.AggregateType, s.SchemaVersion, s.Codec.ToString().ToLowerInvariant(), s.StoredBytes, s.CreatedAt);
}
