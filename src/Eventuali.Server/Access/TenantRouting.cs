using Eventuali.Tenancy;
using Microsoft.AspNetCore.Http;

namespace Eventuali.Server.Access;

/// <summary>
/// Which store a request works on when tenancy is on (an <see cref="ITenantStoreFactory"/> is registered): a caller
/// with a tenant always works on that tenant's store, and a request naming another tenant is refused (403); an admin
/// without a tenant may name one in <see cref="Header"/>; any other caller without a tenant works on the server's own
/// store, or with <see cref="EventualiServerOptions.RequireTenant"/> is refused (400) on event routes. With tenancy off, naming a tenant is refused (400) rather than silently ignored.
/// </summary>
internal static class TenantRouting
{
    public const string Header = "X-Eventuali-Tenant";

    // Routes about the server itself (its keys, its tenants, its audit log, the caller): they answer without a tenant
    // even when RequireTenant refuses event routes there.
    private static readonly HashSet<string> ServerOperations = new(StringComparer.Ordinal)
    {
        "whoami", "list-keys", "create-key", "revoke-key", "list-tenants", "tenant-usage", "read-audit",
    };

    /// <summary>
    /// The tenant store to run the request on (null: the server's own store), or Proceed false with the refusal
    /// already written. The caller disposes the store it gets, releasing its hold.
    /// </summary>
    public static async ValueTask<(bool Proceed, IEventStore? Store)> ResolveAsync(
        HttpContext context, ITenantStoreFactory? tenants, bool requireTenant, AccessGate gate, Caller caller, string operation, ApiRole role)
    {
        TenantId? named = null;
        if (context.Request.Headers.TryGetValue(Header, out var values))
        {
            if (values.Count != 1 || !TenantId.TryParse(values[0], out var parsed))
            {
                await Problems.WriteAsync(context, Problems.InvalidParameter, $"{Header} must name one tenant id (1-{TenantId.MaxLength} ASCII letters, digits and hyphens).").ConfigureAwait(false);
                return (false, null);
            }

            named = parsed;
        }

        if (tenants is null)
        {
            if (named is not null)
            {
                await Problems.WriteAsync(context, Problems.InvalidParameter, $"This server has no tenancy; do not send {Header}.").ConfigureAwait(false);
                return (false, null);
            }

            return (true, null);
        }

        TenantId target;
        if (caller.Tenant is { } own)
        {
            if (!TenantId.TryParse(own, out var ownId))
            {
                await gate.RefuseAsync(context, caller, operation, role, "The caller's tenant is not a valid tenant id; it may reach no tenant.").ConfigureAwait(false);
                return (false, null);
            }

            if (named is { } other && other != ownId)
            {
                await gate.RefuseAsync(context, caller, operation, role, $"This caller belongs to tenant '{ownId.Value}' and may not reach tenant '{other.Value}'.").ConfigureAwait(false);
                return (false, null);
            }

            target = ownId;
        }
        else if (named is { } chosen)
        {
            if (!caller.Has(ApiRole.Admin))
            {
                await gate.RefuseAsync(context, caller, operation, role, "Only an admin without a tenant may name a tenant; this caller has no tenant of its own.").ConfigureAwait(false);
                return (false, null);
            }

            target = chosen;
        }
        else if (requireTenant && !ServerOperations.Contains(operation))
        {
            await Problems.WriteAsync(context, Problems.TenantRequired, caller.Has(ApiRole.Admin)
                ? $"This server serves only its tenants' stores: name the tenant in {Header}."
                : "This server serves only its tenants' stores, and this caller belongs to no tenant: use a key or token bound to a tenant.").ConfigureAwait(false);
            return (false, null);
        }
        else
        {
            return (true, null);
        }

        try
        {
            return (true, await tenants.GetStoreAsync(target, context.RequestAborted).ConfigureAwait(false));
        }
        catch (UnknownTenantException)
        {
            await Problems.WriteAsync(context, Problems.NotFound, $"No tenant '{target.Value}' is registered.").ConfigureAwait(false);
        }
        catch (TenantSuspendedException)
        {
            await gate.RefuseAsync(context, caller, operation, role, $"Tenant '{target.Value}' is suspended.").ConfigureAwait(false);
        }

        return (false, null);
    }
}
