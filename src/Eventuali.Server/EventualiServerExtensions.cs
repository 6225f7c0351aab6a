using Eventuali.Hosting;
using Eventuali.OpenTelemetry.Prometheus;
using Eventuali.Server.Access;
using Eventuali.Server.Endpoints;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Eventuali.Server;

/// <summary>
/// <c>services.AddEventualiServer()</c> and <c>app.MapEventuali()</c>: the HTTP API, health, metrics, OpenAPI and the
/// web UI over the store registered with <c>AddEventuali</c> (Eventuali.Hosting).
/// </summary>
public static class EventualiServerExtensions
{
    /// <summary>The OpenAPI document's name: it is served at <c>/openapi/v1.json</c>.</summary>
    public const string OpenApiDocument = "v1";

    /// <summary>
    /// Registers what <see cref="MapEventuali"/> needs: the API key store, the access gate (authentication, roles,
    /// scopes, rate limits, refusal auditing), JWT bearer validation when <see cref="OidcOptions.Authority"/> is set,
    /// the Eventuali health checks and metrics, and the OpenAPI document. The store itself is registered with
    /// <c>AddEventuali</c>.
    /// </summary>
    public static IServiceCollection AddEventualiServer(this IServiceCollection services, Action<EventualiServerOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        var options = new EventualiServerOptions();
        configure?.Invoke(options);
        options.Validate();
        services.TryAddSingleton(Options.Create(options));
        services.TryAddSingleton(sp => new ApiKeyStore(sp.GetRequiredService<IEventStore>()));
        services.TryAddSingleton<AccessGate>();
        services.TryAddSingleton<ServerContext>();
        services.ConfigureHttpJsonOptions(json => json.SerializerOptions.TypeInfoResolverChain.Insert(0, ServerJson.Default));
        services.ConfigureHttpJsonOptions(json => json.SerializerOptions.TypeInfoResolverChain.Insert(1, AdminJson.Default));
        services.AddHealthChecks().AddEventualiHealthChecks();
        services.AddEventualiMetrics();
        services.AddOpenApi(OpenApiDocument, openApi => openApi.AddDocumentTransformer((document, _, _) =>
        {
            document.Info.Title = "Eventuali";
            document.Info.Description = "Event store HTTP API: appends, reads, server-sent event subscriptions, stream lifecycle and projections. Authenticate with X-Api-Key or Authorization: Bearer. Errors are RFC 9457 Problem Details.";
            return Task.CompletedTask;
        }));
        var authentication = services.AddAuthentication();
        if (options.Oidc.Authority is { } authority)
        {
            var oidc = options.Oidc;
            authentication.AddJwtBearer(JwtBearerDefaults.AuthenticationScheme, jwt =>
            {
                jwt.Authority = authority;
                jwt.Audience = oidc.Audience;
                jwt.RequireHttpsMetadata = oidc.RequireHttpsMetadata;
                jwt.MapInboundClaims = false;
                jwt.TokenValidationParameters.ValidateIssuer = true;
                jwt.TokenValidationParameters.ValidateAudience = oidc.Audience is not null;
                jwt.TokenValidationParameters.ValidateLifetime = true;
                jwt.TokenValidationParameters.RequireExpirationTime = true;
                jwt.TokenValidationParameters.RequireSignedTokens = true;
                jwt.TokenValidationParameters.ClockSkew = oidc.ClockSkew;
            });
        }

        return services;
    }

    /// <summary>
    /// Maps the API (appends, stream and global-log reads, categories, server-sent event subscriptions, lifecycle,
    /// projections, statistics), <c>/health/live</c>, <c>/health/ready</c>, <c>/metrics</c>,
    /// <c>/openapi/v1.json</c>, the web UI at <c>/ui/</c>, and a Problem Details 404 for any other path under
    /// the group. Needs <see cref="AddEventualiServer"/>.
    /// </summary>
    /// <param name="endpoints">The application's routes.</param>
    /// <param name="prefix">A path prefix for everything mapped (default none).</param>
    /// <returns>The group of the mapped endpoints, to add conventions (a host, CORS, ...).</returns>
    public static RouteGroupBuilder MapEventuali(this IEndpointRouteBuilder endpoints, string prefix = "")
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        ArgumentNullException.ThrowIfNull(prefix);
        var options = endpoints.ServiceProvider.GetService<IOptions<EventualiServerOptions>>()
            ?? throw new InvalidOperationException("MapEventuali needs services.AddEventualiServer() first.");
        var group = endpoints.MapGroup(prefix);
        StreamEndpoints.Map(group);
        LogEndpoints.Map(group);
        SseEndpoints.Map(group);
        AdminEndpoints.Map(group);

        // Dead letters, snapshots, tenants, keys and the audit log.
        DeadLetterEndpoints.Map(group);
        SnapshotEndpoints.Map(group);
        TenantEndpoints.Map(group);
        KeyEndpoints.Map(group);
        AuditEndpoints.Map(group);

        DiagramEndpoints.Map(group);
        group.MapHealthChecks("/health/live", new HealthCheckOptions { Predicate = c => c.Tags.Contains(EventualiHealthChecks.LiveTag) });
        group.MapHealthChecks("/health/ready", new HealthCheckOptions { Predicate = c => c.Tags.Contains(EventualiHealthChecks.ReadyTag) });
        group.MapEventualiMetrics();
        group.MapOpenApi("/openapi/{documentName}.json");
        if (options.Value.EnableUi)
        {
            UiEndpoints.Map(group, options.Value);
        }

        group.MapFallback((HttpContext context) => Problems.WriteAsync(context, Problems.NotFound, "No route matches this path.")).ExcludeFromDescription();
        return group;
    }
}
