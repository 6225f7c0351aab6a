using Eventuali.Auditing;
using Eventuali.Server.Access;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Eventuali.Server.Endpoints;

/// <summary>
/// The access audit log (admin), paged forwards from a position and filtered by actor and outcome. The server writes
/// every refusal there; with Eventuali.Security's audit on, every operation too. An admin limited to a scope sees only
/// entries about streams inside it.
/// </summary>
internal static class AuditEndpoints
{
    /// <summary>Entries a filtered page looks through at most, so a rare filter never scans the whole log in one request.</summary>
    private const int MaxScanned = 50_000;

    public static void Map(IEndpointRouteBuilder routes)
    {
        routes.MapGet("/audit", ReadAsync)
            .WithName("ReadAudit").WithSummary("Audit entries from position 'from' (default 1), at most 'limit'; 'actor' (prefix) and 'outcome' (succeeded|failed) filter (admin)")
            .Produces<AuditPageDocument>().ProducesProblem(400).ProducesProblem(401).ProducesProblem(403).ProducesProblem(501);
    }

    private static Task ReadAsync(HttpContext context, string? from, string? limit, string? actor, string? outcome)
    {
        var server = ServerContext.Of(context);
        return server.RunAsync(context, "read-audit", ApiRole.Admin, null, async caller =>
        {
            var (fromOk, start) = await Query.LongAsync(context, "from", from, 1, 1).ConfigureAwait(false);
            if (!fromOk)
            {
                return;
            }

            var (limitOk, count) = await Query.LimitAsync(context, limit, server.Options).ConfigureAwait(false);
            if (!limitOk)
            {
                return;
            }

            AuditOutcome? wanted = outcome?.ToUpperInvariant() switch
            {
                null => null,
                "SUCCEEDED" => AuditOutcome.Succeeded,
                "FAILED" => AuditOutcome.Failed,
                _ => (AuditOutcome)0,
            };
            if (wanted == 0)
            {
                await Problems.WriteAsync(context, Problems.InvalidParameter, "'outcome' must be succeeded or failed.").ConfigureAwait(false);
                return;
            }

            var log = server.Store.GetFeature<IAuditLogStore>() ?? throw new NotSupportedException("This store keeps no audit log.");
            var entries = new List<AuditEntryDocument>();
            long? next = null;
            var scanned = 0;
            await foreach (var entry in log.ReadAuditAsync(start, context.RequestAborted).ConfigureAwait(false))
            {
                if (entries.Count >= count || scanned >= MaxScanned)
                {
                    next = entry.Position;
                    break;
                }

                scanned++;
                var r = entry.Record;
                if ((actor is null || r.Actor.StartsWith(actor, StringComparison.Ordinal)) && (wanted is null || r.Outcome == wanted) && Sees(caller, r))
                {
                    entries.Add(new AuditEntryDocument(entry.Position, r.Time, r.Actor, r.Action.ToString().ToLowerInvariant(), r.Operation, r.StreamId, r.Outcome.ToString().ToLowerInvariant(), r.ErrorType, r.EventCount));
                }
            }

            await context.Response.WriteAsJsonAsync(new AuditPageDocument(entries, next), AdminJson.Default.AuditPageDocument, cancellationToken: context.RequestAborted).ConfigureAwait(false);
        });
    }

    private static bool Sees(Caller caller, AuditRecord record)
        => caller.Scope.Length == 0 || (record.StreamId is { } stream && stream.StartsWith(caller.Scope, StringComparison.Ordinal));
}
