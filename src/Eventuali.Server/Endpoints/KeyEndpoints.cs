using System.Globalization;
using System.Text.Json;
using Eventuali.Server.Access;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Eventuali.Server.Endpoints;

/// <summary>
/// API keys (admin): list (never a secret), create (the key is in the answer once), revoke. An admin limited to a
/// scope or tenant sees and manages only keys inside them, and cannot create a key reaching further than itself.
/// </summary>
internal static class KeyEndpoints
{
    private const int MaxBodyBytes = 16 * 1024;

    public static void Map(IEndpointRouteBuilder routes)
    {
        routes.MapGet("/keys", ListAsync)
            .WithName("ListApiKeys").WithSummary("Every API key, newest first, revoked and expired ones included; never a secret (admin)")
            .Produces<ApiKeyDocument[]>().ProducesProblem(401).ProducesProblem(403);
        routes.MapPost("/keys", CreateAsync)
            .WithName("CreateApiKey").WithSummary("Creates an API key; the answer holds the key, shown this once (admin)")
            .Accepts<CreateApiKeyDocument>("application/json", "*/*")
            .Produces<CreatedApiKeyDocument>(StatusCodes.Status201Created).ProducesProblem(400).ProducesProblem(401).ProducesProblem(403).ProducesProblem(413).ProducesProblem(415);
        routes.MapDelete("/keys/{id}", RevokeAsync)
            .WithName("RevokeApiKey").WithSummary("Revokes an API key at once (admin)")
            .Produces(StatusCodes.Status204NoContent).ProducesProblem(400).ProducesProblem(401).ProducesProblem(403).ProducesProblem(404);
    }

    private static Task ListAsync(HttpContext context, CancellationToken cancellationToken)
    {
        var server = ServerContext.Of(context);
        return server.RunAsync(context, "list-keys", ApiRole.Admin, null, async caller =>
        {
            var keys = await Keys(context).ListAsync(context.RequestAborted).ConfigureAwait(false);
            var now = server.Clock.GetUtcNow();
            var documents = keys.Where(k => Manages(caller, k)).Select(k => Document(k, now)).ToArray();
            await context.Response.WriteAsJsonAsync(documents, AdminJson.Default.ApiKeyDocumentArray, cancellationToken: context.RequestAborted).ConfigureAwait(false);
        });
    }

    private static Task CreateAsync(HttpContext context, CancellationToken cancellationToken)
    {
        var server = ServerContext.Of(context);
        return server.RunAsync(context, "create-key", ApiRole.Admin, null, async caller =>
        {
            var body = await ReadBodyAsync(context).ConfigureAwait(false);
            if (body is null)
            {
                return;
            }

            if (!ApiRoles.TryParse(body.Role, out var role))
            {
                await Problems.WriteAsync(context, Problems.InvalidParameter, "'role' must be read, write or admin.").ConfigureAwait(false);
                return;
            }

            var scope = body.Scope ?? caller.Scope;
            var tenant = body.Tenant ?? caller.Tenant;
            if (!scope.StartsWith(caller.Scope, StringComparison.Ordinal) || (caller.Tenant is not null && tenant != caller.Tenant))
            {
                await Refusals.ForbidAsync(context, caller, "create-key", "A key may not reach beyond its creator's scope or tenant.").ConfigureAwait(false);
                return;
            }

            CreatedApiKey created;
            try
            {
                created = await Keys(context).CreateAsync(role, scope, tenant, body.ExpiresAt, context.RequestAborted).ConfigureAwait(false);
            }
            catch (ArgumentException ex)
            {
                // Scope, tenant or expiry; the messages name the field and quote no secret.
                await Problems.WriteAsync(context, Problems.InvalidParameter, ex.Message).ConfigureAwait(false);
                return;
            }

            context.Response.StatusCode = StatusCodes.Status201Created;
            context.Response.Headers.CacheControl = "no-store";
            var document = new CreatedApiKeyDocument(created.Key, Document(created.Info, server.Clock.GetUtcNow()));
            await context.Response.WriteAsJsonAsync(document, AdminJson.Default.CreatedApiKeyDocument, cancellationToken: context.RequestAborted).ConfigureAwait(false);
        });
    }

    private static Task RevokeAsync(HttpContext context, string id)
    {
        var server = ServerContext.Of(context);
        return server.RunAsync(context, "revoke-key", ApiRole.Admin, null, async caller =>
        {
            if (!ApiKeyFormat.IsValidId(id))
            {
                await Problems.WriteAsync(context, Problems.InvalidParameter, "A key id is 16 lower-case hex digits (the part after evk_).").ConfigureAwait(false);
                return;
            }

            var keys = Keys(context);
            var key = (await keys.ListAsync(context.RequestAborted).ConfigureAwait(false)).FirstOrDefault(k => k.Id == id);
            if (key is null || !Manages(caller, key) || key.RevokedAt is not null || !await keys.RevokeAsync(id, context.RequestAborted).ConfigureAwait(false))
            {
                await Problems.WriteAsync(context, Problems.NotFound, "No unrevoked key with that id is visible to this caller.").ConfigureAwait(false);
                return;
            }

            context.Response.StatusCode = StatusCodes.Status204NoContent;
        });
    }

    private static async ValueTask<CreateApiKeyDocument?> ReadBodyAsync(HttpContext context)
    {
        var request = context.Request;
        if (!AppendBody.IsJsonContentType(request.ContentType))
        {
            await Problems.WriteAsync(context, Problems.UnsupportedMediaType, "The body must be application/json.").ConfigureAwait(false);
            return null;
        }

        if (request.ContentLength > MaxBodyBytes)
        {
            await Problems.WriteAsync(context, Problems.PayloadTooLarge, $"The body is larger than the limit of {MaxBodyBytes.ToString(CultureInfo.InvariantCulture)} bytes.").ConfigureAwait(false);
            return null;
        }

        try
        {
            using var limited = new MemoryStream();
            var buffer = new byte[4096];
            int read;
            while ((read = await request.Body.ReadAsync(buffer, context.RequestAborted).ConfigureAwait(false)) > 0)
            {
                if (limited.Length + read > MaxBodyBytes)
                {
                    await Problems.WriteAsync(context, Problems.PayloadTooLarge, $"The body is larger than the limit of {MaxBodyBytes.ToString(CultureInfo.InvariantCulture)} bytes.").ConfigureAwait(false);
                    return null;
                }

                limited.Write(buffer, 0, read);
            }

            var body = JsonSerializer.Deserialize(limited.GetBuffer().AsSpan(0, (int)limited.Length), AdminJson.Default.CreateApiKeyDocument);
            if (body?.Role is null)
            {
                await Problems.WriteAsync(context, Problems.InvalidJson, "The body must be an object with 'role' (read, write or admin), optionally 'scope', 'tenant' and 'expiresAt'.").ConfigureAwait(false);
                return null;
            }

            return body;
        }
        catch (JsonException ex)
        {
            await Problems.WriteAsync(context, Problems.InvalidJson, $"The body is not a valid key request (line {ex.LineNumber + 1}, byte {ex.BytePositionInLine + 1}).").ConfigureAwait(false);
            return null;
        }
    }

    private static bool Manages(Caller caller, ApiKeyInfo key)
        => key.Scope.StartsWith(caller.Scope, StringComparison.Ordinal) && (caller.Tenant is null || caller.Tenant == key.Tenant);

    private static ApiKeyStore Keys(HttpContext context) => context.RequestServices.GetRequiredService<ApiKeyStore>();

    private static ApiKeyDocument Document(ApiKeyInfo k, DateTimeOffset now)
        => new(k.Id, ApiRoles.ToText(k.Role), k.Scope, k.Tenant, k.CreatedAt, k.ExpiresAt, k.LastUsedAt, k.RevokedAt, k.IsActiveAt(now));
}
