using System.Globalization;
using Eventuali.Tenancy;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Eventuali.Server.Endpoints;

/// <summary>
/// Tenants and their metered usage (admin), when the application registers an <see cref="ITenantStoreFactory"/>
/// (usage needs one that is also <see cref="ITenantAdministration"/>); 501 otherwise. A caller bound to a tenant sees
/// only that tenant.
/// </summary>
internal static class TenantEndpoints
{
    private const string DayFormat = "yyyy-MM-dd";
    private const int DefaultDays = 30;
    private const int MaxDays = 366;

    public static void Map(IEndpointRouteBuilder routes)
    {
        routes.MapGet("/tenants", ListAsync)
            .WithName("ListTenants").WithSummary("The registered tenants, ordered by id (admin; tenancy on)")
            .Produces<TenantDocument[]>().ProducesProblem(401).ProducesProblem(403).ProducesProblem(501);
        routes.MapGet("/tenants/{tenant}/usage", UsageAsync)
            .WithName("GetTenantUsage").WithSummary("A tenant's usage per UTC day from 'from' to 'to' (yyyy-MM-dd; default the last 30 days; at most 366; admin)")
            .Produces<TenantUsageDocument>().ProducesProblem(400).ProducesProblem(401).ProducesProblem(403).ProducesProblem(404).ProducesProblem(501);
    }

    private static Task ListAsync(HttpContext context, CancellationToken cancellationToken)
    {
        var server = ServerContext.Of(context);
        return server.RunAsync(context, "list-tenants", ApiRole.Admin, null, async caller =>
        {
            if (await FactoryAsync(context).ConfigureAwait(false) is not { } factory)
            {
                return;
            }

            var tenants = await factory.ListTenantsAsync(context.RequestAborted).ConfigureAwait(false);
            var documents = tenants
                .Where(t => caller.Tenant is null || t.Tenant.Value == caller.Tenant)
                .Select(t => new TenantDocument(t.Tenant.Value, t.Suspended, t.CreatedAt, t.DeletionRequested))
                .ToArray();
            await context.Response.WriteAsJsonAsync(documents, AdminJson.Default.TenantDocumentArray, cancellationToken: context.RequestAborted).ConfigureAwait(false);
        });
    }

    private static Task UsageAsync(HttpContext context, string tenant, string? from, string? to)
    {
        var server = ServerContext.Of(context);
        return server.RunAsync(context, "tenant-usage", ApiRole.Admin, null, async caller =>
        {
            if (await FactoryAsync(context).ConfigureAwait(false) is not { } factory)
            {
                return;
            }

            if (factory is not ITenantAdministration admin)
            {
                await Problems.WriteAsync(context, Problems.NotSupported, "This tenant store keeps no per-tenant usage.").ConfigureAwait(false);
                return;
            }

            if (!TenantId.TryParse(tenant, out var id))
            {
                await Problems.WriteAsync(context, Problems.InvalidParameter, "The tenant id is not valid.").ConfigureAwait(false);
                return;
            }

            if (caller.Tenant is not null && caller.Tenant != id.Value)
            {
                await Refusals.ForbidAsync(context, caller, "tenant-usage", "This caller may see only its own tenant.").ConfigureAwait(false);
                return;
            }

            var today = DateOnly.FromDateTime(server.Clock.GetUtcNow().UtcDateTime);
            var last = to is null ? today : Day(to);
            var first = from is null ? last?.AddDays(1 - DefaultDays) : Day(from);
            if (first is null || last is null || first > last || last.Value.DayNumber - first.Value.DayNumber >= MaxDays)
            {
                await Problems.WriteAsync(context, Problems.InvalidParameter, $"'from' and 'to' must be days as {DayFormat}, from <= to, at most {MaxDays} days apart.").ConfigureAwait(false);
                return;
            }

            try
            {
                var days = new List<TenantUsageDayDocument>();
                long storage = 0;
                for (var day = first.Value; day <= last.Value; day = day.AddDays(1))
                {
                    var usage = (await admin.ReadUsageAsync(id, day, day, context.RequestAborted).ConfigureAwait(false)).Single();
                    days.Add(new TenantUsageDayDocument(day, usage.Events, usage.Bytes, usage.Streams, usage.Reads));
                    storage = usage.StorageBytes;
                }

                await context.Response.WriteAsJsonAsync(new TenantUsageDocument(id.Value, first.Value, last.Value, days, storage), AdminJson.Default.TenantUsageDocument, cancellationToken: context.RequestAborted).ConfigureAwait(false);
            }
            catch (UnknownTenantException)
            {
                await Problems.WriteAsync(context, Problems.NotFound, "No tenant has that id.").ConfigureAwait(false);
            }
        });
    }

    /// <summary>The registered tenant store factory, or null with a 501 written (tenancy is off).</summary>
    private static async ValueTask<ITenantStoreFactory?> FactoryAsync(HttpContext context)
    {
        if (context.RequestServices.GetService<ITenantStoreFactory>() is { } factory)
        {
            return factory;
        }

        await Problems.WriteAsync(context, Problems.NotSupported, "Tenancy is off: no tenant store factory is registered with this server.").ConfigureAwait(false);
        return null;
    }

    private static DateOnly? Day(string text)
        => DateOnly.TryParseExact(text, DayFormat, CultureInfo.InvariantCulture, DateTimeStyles.None, out var day) ? day : null;
}
