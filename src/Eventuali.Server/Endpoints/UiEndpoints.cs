using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Eventuali.Server.Endpoints;

/// <summary>
/// The web admin UI: plain HTML, CSS and JavaScript embedded in this assembly, served at <c>/ui/</c> with no CDN or
/// network access. The pages hold no data; they call the API with the key the user logs in with.
/// </summary>
internal static class UiEndpoints
{
    private const string ResourcePrefix = "eventuali-ui/";

    private static readonly Dictionary<string, string> Types = new(StringComparer.OrdinalIgnoreCase)
    {
        [".html"] = "text/html; charset=utf-8",
        [".js"] = "text/javascript; charset=utf-8",
        [".css"] = "text/css; charset=utf-8",
        [".svg"] = "image/svg+xml",
    };

    public static void Map(IEndpointRouteBuilder routes, EventualiServerOptions options)
    {
        var oidc = options.Oidc;
        var login = new UiLoginDocument(oidc is { UiClientId: { } client, Authority: { } authority }
            ? new UiOidcDocument(authority, client, oidc.UiScope, oidc.Audience)
            : null);

        // The page may call only this server, plus the issuer when it signs in there (discovery and token endpoint).
        var connect = login.Oidc is { } signIn ? "'self' " + new Uri(signIn.Authority).GetLeftPart(UriPartial.Authority) : "'self'";
        var policy = $"default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; connect-src {connect}; frame-ancestors 'none'";

        // Anonymous: the page asks before anyone has logged in. It holds nothing secret (a public client uses PKCE).
        routes.MapGet("/ui/login-config", (HttpContext context, CancellationToken _) =>
        {
            context.Response.Headers.CacheControl = "no-cache";
            return context.Response.WriteAsJsonAsync(login, UiJson.Default.UiLoginDocument, cancellationToken: context.RequestAborted);
        }).ExcludeFromDescription();
        routes.MapGet("/ui", (HttpContext context) =>
        {
            // Routing matches "/ui/" here too; only "/ui" itself is redirected, so relative asset links resolve.
            if (context.Request.Path.Value!.EndsWith('/'))
            {
                return ServeAsync(context, null, policy);
            }

            context.Response.Redirect(context.Request.PathBase + context.Request.Path + "/");
            return Task.CompletedTask;
        }).ExcludeFromDescription();
        routes.MapGet("/ui/{**file}", (HttpContext context, string? file) => ServeAsync(context, file, policy)).ExcludeFromDescription();
    }

    private static async Task ServeAsync(HttpContext context, string? file, string policy)
    {
        var name = string.IsNullOrEmpty(file) ? "index.html" : file;
        var type = Types.GetValueOrDefault(Path.GetExtension(name));
        var stream = type is null || name.Contains("..", StringComparison.Ordinal)
            ? null
            : typeof(UiEndpoints).Assembly.GetManifestResourceStream(ResourcePrefix + name);
        if (stream is null)
        {
            await Problems.WriteAsync(context, Problems.NotFound, "The UI has no such file.").ConfigureAwait(false);
            return;
        }

        await using (stream)
        {
            context.Response.ContentType = type;
            context.Response.Headers.CacheControl = "no-cache";
            // The UI runs only its own scripts and talks only to this server (and the OIDC issuer when signing in there).
            context.Response.Headers.ContentSecurityPolicy = policy;
            context.Response.Headers.XContentTypeOptions = "nosniff";
            await stream.CopyToAsync(context.Response.Body, context.RequestAborted).ConfigureAwait(false);
        }
    }
}
