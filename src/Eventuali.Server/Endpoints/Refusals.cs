using Eventuali.Auditing;
using Eventuali.Server.Access;
using Microsoft.AspNetCore.Http;

namespace Eventuali.Server.Endpoints;

/// <summary>
/// A 403 decided inside an admin route (a key reaching beyond its creator, another tenant's usage), after the access
/// gate let the caller in: audited like the gate's own refusals, so every denial is in the audit log.
/// </summary>
internal static class Refusals
{
    public static async Task ForbidAsync(HttpContext context, Caller caller, string operation, string detail)
    {
        var server = ServerContext.Of(context);
        if (server.Store.GetFeature<IAuditLogStore>() is { } log)
        {
            var actor = caller.Actor.Any(char.IsControl) ? "unprintable" : caller.Actor;
            var record = new AuditRecord(server.Clock.GetUtcNow(), actor, AuditAction.Admin, "http-" + operation, null, AuditOutcome.Failed, "Forbidden", 0);
            await log.AppendAuditAsync([record], context.RequestAborted).ConfigureAwait(false);
        }

        await Problems.WriteAsync(context, Problems.Forbidden, detail).ConfigureAwait(false);
    }
}
