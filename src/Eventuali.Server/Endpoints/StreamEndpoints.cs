using Eventuali.Lifecycle;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Eventuali.Server.Endpoints;

/// <summary>Appending to and reading one stream, its info, and the list of streams.</summary>
internal static class StreamEndpoints
{
    public static void Map(IEndpointRouteBuilder routes)
    {
        routes.MapPost("/streams/{id}", AppendAsync)
            .WithName("AppendToStream").WithSummary("Appends events to a stream (expected version in If-Match: 412 on conflict; in the body: 409)")
            // "*/*" too: the handler answers a wrong content type with 415 itself instead of routing passing it by.
            .Accepts<AppendEventDocument[]>("application/json", "*/*")
            .Produces<AppendResultDocument>(StatusCodes.Status200OK)
            .ProducesProblem(400).ProducesProblem(401).ProducesProblem(403).ProducesProblem(409).ProducesProblem(412).ProducesProblem(413).ProducesProblem(415).ProducesProblem(429);
        routes.MapGet("/streams/{id}", ReadAsync)
            .WithName("ReadStream").WithSummary("Reads a stream forwards or backwards, one page")
            .Produces<EventPageDocument>().ProducesProblem(400).ProducesProblem(401).ProducesProblem(403).ProducesProblem(404).ProducesProblem(410);
        routes.MapGet("/streams/{id}/info", InfoAsync)
            .WithName("GetStreamInfo").WithSummary("A stream's version and lifecycle state")
            .Produces<StreamInfoDocument>().ProducesProblem(401).ProducesProblem(403);
        routes.MapGet("/streams", ListAsync)
            .WithName("ListStreams").WithSummary("Stream ids starting with a prefix, within the caller's scope")
            .Produces<StreamListDocument>().ProducesProblem(400).ProducesProblem(401).ProducesProblem(501);
    }

    private static Task AppendAsync(HttpContext context, string id)
    {
        var server = ServerContext.Of(context);
        return server.RunAsync(context, "append", ApiRole.Write, id, async _ =>
        {
            var (ok, ifMatch) = await Query.IfMatchAsync(context).ConfigureAwait(false);
            if (!ok)
            {
                return;
            }

            var body = await AppendBody.ReadAsync(context, server.Options.MaxRequestBodyBytes, server.Clock).ConfigureAwait(false);
            if (body is null)
            {
                return;
            }

            if (ifMatch is not null && body.Expected is not null)
            {
                await Problems.WriteAsync(context, Problems.InvalidParameter, "Give the expected version either in If-Match or in the body, not both.").ConfigureAwait(false);
                return;
            }

            var expected = ifMatch ?? body.Expected ?? ExpectedVersion.Any;
            var result = await server.Store.AppendAsync(id, expected, body.Events, context.RequestAborted).ConfigureAwait(false);
            context.Response.Headers.ETag = Query.ETag(result.StreamVersion);
            await context.Response.WriteAsJsonAsync(new AppendResultDocument(result.StreamVersion, result.LastPosition), ServerJson.Default.AppendResultDocument, cancellationToken: context.RequestAborted).ConfigureAwait(false);
        }, expectedFromHeader: context.Request.Headers.IfMatch.Count > 0);
    }

    private static Task ReadAsync(HttpContext context, string id, string? from, string? limit, string? direction)
    {
        var server = ServerContext.Of(context);
        return server.RunAsync(context, "read-stream", ApiRole.Read, id, async caller =>
        {
            var backward = direction is not null && direction.Equals("backward", StringComparison.OrdinalIgnoreCase);
            if (direction is not null && !backward && !direction.Equals("forward", StringComparison.OrdinalIgnoreCase))
            {
                await Problems.WriteAsync(context, Problems.InvalidParameter, "'direction' must be forward or backward.").ConfigureAwait(false);
                return;
            }

            var (okFrom, start) = await Query.LongAsync(context, "from", from, backward ? StreamVersion.End : StreamVersion.Start, 0).ConfigureAwait(false);
            var (okLimit, count) = okFrom ? await Query.LimitAsync(context, limit, server.Options).ConfigureAwait(false) : (false, 0);
            if (!okLimit)
            {
                return;
            }

            var version = await server.Store.GetStreamVersionAsync(id, context.RequestAborted).ConfigureAwait(false);
            if (version is null)
            {
                var info = server.Store.GetFeature<IStreamLifecycle>() is { } lifecycle
                    ? await lifecycle.GetStreamInfoAsync(id, context.RequestAborted).ConfigureAwait(false)
                    : default;
                var deleted = info.Status is StreamStatus.SoftDeleted or StreamStatus.Tombstoned;
                await Problems.WriteAsync(context, deleted ? Problems.StreamDeleted : Problems.StreamNotFound,
                    deleted ? "The stream is deleted." : "No stream has that id.").ConfigureAwait(false);
                return;
            }

            context.Response.Headers.ETag = Query.ETag(version.Value);
            var events = server.Store.ReadStreamAsync(id, start, count, backward ? ReadDirection.Backward : ReadDirection.Forward, context.RequestAborted);
            await Paging.WriteAsync(context, caller, events, (last, read) => read < count || last is null
                ? null
                : backward ? (last.StreamVersion > 1 ? last.StreamVersion - 1 : null) : last.StreamVersion + 1).ConfigureAwait(false);
        });
    }

    private static Task InfoAsync(HttpContext context, string id)
    {
        var server = ServerContext.Of(context);
        return server.RunAsync(context, "stream-info", ApiRole.Read, id, async _ =>
        {
            StreamInfoDocument document;
            if (server.Store.GetFeature<IStreamLifecycle>() is { } lifecycle)
            {
                var info = await lifecycle.GetStreamInfoAsync(id, context.RequestAborted).ConfigureAwait(false);
                document = new StreamInfoDocument(id, StatusText(info.Status), info.Version, info.TruncatedBefore);
            }
            else
            {
                var version = await server.Store.GetStreamVersionAsync(id, context.RequestAborted).ConfigureAwait(false);
                document = new StreamInfoDocument(id, version is null ? "none" : "live", version, 1);
            }

            if (document.Version is { } v)
            {
                context.Response.Headers.ETag = Query.ETag(v);
            }

            await context.Response.WriteAsJsonAsync(document, ServerJson.Default.StreamInfoDocument, cancellationToken: context.RequestAborted).ConfigureAwait(false);
        });
    }

    private static Task ListAsync(HttpContext context, string? prefix, string? limit)
    {
        var server = ServerContext.Of(context);
        return server.RunAsync(context, "list-streams", ApiRole.Read, null, async caller =>
        {
            var (ok, count) = await Query.LimitAsync(context, limit, server.Options).ConfigureAwait(false);
            if (!ok)
            {
                return;
            }

            var narrowed = caller.NarrowPrefix(prefix);
            var streams = new List<string>();
            if (narrowed is not null)
            {
                await foreach (var s in server.Store.GetStreamLifecycle().ListStreamsAsync(narrowed.Length == 0 ? null : narrowed, context.RequestAborted).ConfigureAwait(false))
                {
                    if (caller.CanSee(s))
                    {
                        streams.Add(s);
                        if (streams.Count >= count)
                        {
                            break;
                        }
                    }
                }
            }

            await context.Response.WriteAsJsonAsync(new StreamListDocument(streams), ServerJson.Default.StreamListDocument, cancellationToken: context.RequestAborted).ConfigureAwait(false);
        });
    }

    internal static string StatusText(StreamStatus status) => status switch
    {
        StreamStatus.Live => "live",
        StreamStatus.SoftDeleted => "soft-deleted",
        StreamStatus.Tombstoned => "tombstoned",
        _ => "none",
    };
}
