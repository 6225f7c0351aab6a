using Eventuali.Projections;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Eventuali.Server.Endpoints;

/// <summary>
/// A projection's dead letters and retrying them (admin: an error text may quote what the handler saw, and a letter
/// names streams of any scope). A retry marks letters; the running projection daemon runs the handler again.
/// </summary>
internal static class DeadLetterEndpoints
{
    public static void Map(IEndpointRouteBuilder routes)
    {
        routes.MapGet("/projections/{name}/dead-letters", ListAsync)
            .WithName("ListDeadLetters").WithSummary("A projection's dead letters in position order (admin)")
            .Produces<DeadLetterDocument[]>().ProducesProblem(400).ProducesProblem(401).ProducesProblem(403).ProducesProblem(404).ProducesProblem(501);
        routes.MapPost("/projections/{name}/dead-letters/retry", (HttpContext context, string name) => RetryAsync(context, name, null))
            .WithName("RetryDeadLetters").WithSummary("Asks the projection daemon to retry all of a projection's dead letters (admin)")
            .Produces<DeadLetterRetryDocument>(StatusCodes.Status202Accepted).ProducesProblem(400).ProducesProblem(401).ProducesProblem(403).ProducesProblem(404).ProducesProblem(501);
        routes.MapPost("/projections/{name}/dead-letters/{id}/retry", (HttpContext context, string name, string id) => RetryAsync(context, name, id))
            .WithName("RetryDeadLetter").WithSummary("Asks the projection daemon to retry one dead letter (admin)")
            .Produces<DeadLetterRetryDocument>(StatusCodes.Status202Accepted).ProducesProblem(400).ProducesProblem(401).ProducesProblem(403).ProducesProblem(404).ProducesProblem(501);
    }

    private static Task ListAsync(HttpContext context, string name)
    {
        var server = ServerContext.Of(context);
        return server.RunAsync(context, "list-dead-letters", ApiRole.Admin, null, async _ =>
        {
            var projections = server.Store.GetProjectionStore();
            if (!await KnownAsync(context, projections, name).ConfigureAwait(false))
            {
                return;
            }

            var letters = await projections.ReadDeadLettersAsync(name, context.RequestAborted).ConfigureAwait(false);
            var documents = letters.Select(d => new DeadLetterDocument(d.Id, d.Projection, d.Position, d.StreamId, d.StreamVersion, d.EventId, d.EventType, d.Error, d.Attempts, d.ParkedAt, d.RetryRequested)).ToArray();
            await context.Response.WriteAsJsonAsync(documents, AdminJson.Default.DeadLetterDocumentArray, cancellationToken: context.RequestAborted).ConfigureAwait(false);
        });
    }

    private static Task RetryAsync(HttpContext context, string name, string? id)
    {
        var server = ServerContext.Of(context);
        return server.RunAsync(context, "retry-dead-letters", ApiRole.Admin, null, async _ =>
        {
            long? letter = null;
            if (id is not null)
            {
                var (ok, value) = await Query.LongAsync(context, "id", id, 0, 1).ConfigureAwait(false);
                if (!ok)
                {
                    return;
                }

                letter = value;
            }

            var projections = server.Store.GetProjectionStore();
            if (!await KnownAsync(context, projections, name).ConfigureAwait(false))
            {
                return;
            }

            var marked = await projections.RequestDeadLetterRetryAsync(name, letter, context.RequestAborted).ConfigureAwait(false);
            if (letter is not null && marked == 0)
            {
                await Problems.WriteAsync(context, Problems.NotFound, "The projection has no dead letter with that id.").ConfigureAwait(false);
                return;
            }

            context.Response.StatusCode = StatusCodes.Status202Accepted;
            await context.Response.WriteAsJsonAsync(new DeadLetterRetryDocument(name, marked), AdminJson.Default.DeadLetterRetryDocument, cancellationToken: context.RequestAborted).ConfigureAwait(false);
        });
    }

    /// <summary>Whether <paramref name="name"/> is a valid name of a projection that has run; otherwise the problem is written.</summary>
    private static async ValueTask<bool> KnownAsync(HttpContext context, IProjectionStore projections, string name)
    {
        try
        {
            ProjectionPartitions.ValidateLeaseName(name);
        }
        catch (ArgumentException ex)
        {
            await Problems.WriteAsync(context, Problems.InvalidParameter, ex.Message).ConfigureAwait(false);
            return false;
        }

        var rows = await projections.ListProjectionsAsync(context.RequestAborted).ConfigureAwait(false);
        if (rows.Any(r => r.Name == name))
        {
            return true;
        }

        await Problems.WriteAsync(context, Problems.NotFound, "No projection has that name.").ConfigureAwait(false);
        return false;
    }
}
