using System.Globalization;
using System.Security.Claims;
using System.Threading.RateLimiting;
using Eventuali.Auditing;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Eventuali.Server.Access;

/// <summary>
/// The one door of every API route: authenticates the request (X-Api-Key, else Authorization: Bearer, else the
/// anonymous role when configured), applies the caller's rate limit, and checks the role and stream scope. Every
/// refusal is answered as Problem Details and written to the store's audit log (when it has one) before anything runs.
/// </summary>
internal sealed partial class AccessGate : IDisposable
{
    public const string ApiKeyHeader = "X-Api-Key";
    private readonly IEventStore _store;
    private readonly ApiKeyStore _keys;
    private readonly EventualiServerOptions _options;
    private readonly TimeProvider _clock;
    private readonly ILogger _logger;
    private readonly PartitionedRateLimiter<string> _limiter;

    public AccessGate(IEventStore store, ApiKeyStore keys, IOptions<EventualiServerOptions> options, ILogger<AccessGate> logger)
    {
        _store = store;
        _keys = keys;
        _options = options.Value;
        _clock = store.Options.TimeProvider;
        _logger = logger;
        var perSecond = _options.RequestsPerSecond;
        var burst = _options.RequestBurst;
        _limiter = PartitionedRateLimiter.Create<string, string>(key => RateLimitPartition.GetTokenBucketLimiter(key, _ => new TokenBucketRateLimiterOptions
        {
            TokenLimit = burst,
            TokensPerPeriod = perSecond,
            ReplenishmentPeriod = TimeSpan.FromSeconds(1),
            QueueLimit = 0,
            AutoReplenishment = true,
        }));
    }

    /// <summary>
    /// The caller when it may perform <paramref name="operation"/> needing <paramref name="role"/> on
    /// <paramref name="streamId"/> (null: no single stream); otherwise null, with the refusal already written.
    /// </summary>
    public async ValueTask<Caller?> EnterAsync(HttpContext context, string operation, ApiRole role, string? streamId)
    {
        var caller = await AuthenticateAsync(context).ConfigureAwait(false);
        if (caller is null)
        {
            return null;
        }

        using var lease = _limiter.AttemptAcquire(caller.RateKey);
        if (!lease.IsAcquired)
        {
            context.Response.Headers.RetryAfter = "1";
            await Problems.WriteAsync(context, Problems.RateLimited, "Too many requests for this caller; slow down and retry after a second.").ConfigureAwait(false);
            return null;
        }

        if (!caller.Has(role) || (streamId is not null && !caller.CanSee(streamId)))
        {
            var why = caller.Has(role)
                ? "The stream is outside this caller's scope."
                : $"This operation needs the {ApiRoles.ToText(role)} role; the caller has {ApiRoles.ToText(caller.Role)}.";
            await DenyAsync(context, caller.Actor, operation, role, streamId, "Forbidden").ConfigureAwait(false);
            await Problems.WriteAsync(context, Problems.Forbidden, why).ConfigureAwait(false);
            return null;
        }

        return caller;
    }

    /// <summary>Refuses an admitted caller with 403 for a reason found after the role and scope checks; audited like any denial.</summary>
    public async ValueTask RefuseAsync(HttpContext context, Caller caller, string operation, ApiRole role, string why)
    {
        await DenyAsync(context, caller.Actor, operation, role, null, "Forbidden").ConfigureAwait(false);
        await Problems.WriteAsync(context, Problems.Forbidden, why).ConfigureAwait(false);
    }

    private async ValueTask<Caller?> AuthenticateAsync(HttpContext context)
    {
        var request = context.Request;
        string? failure;
        if (request.Headers.TryGetValue(ApiKeyHeader, out var keys))
        {
            var key = keys.Count == 1 ? keys[0] : null;
            var info = key is null ? null : await _keys.AuthenticateAsync(key, context.RequestAborted).ConfigureAwait(false);
            if (info is not null)
            {
                return new Caller("apikey:" + info.Id, info.Role, info.Scope, info.Tenant, "key:" + info.Id);
            }

            failure = "The API key is not valid (unknown, revoked or expired).";
        }
        else if (request.Headers.Authorization.Count > 0)
        {
            var fromToken = await FromBearerAsync(context).ConfigureAwait(false);
            if (fromToken.Caller is not null)
            {
                return fromToken.Caller;
            }

            failure = fromToken.Failure;
        }
        else if (_options.AnonymousRole is { } anonymous)
        {
            return new Caller("anonymous", anonymous, _options.AnonymousScope, null, "ip:" + context.Connection.RemoteIpAddress);
        }
        else
        {
            failure = $"Credentials are required: an API key in the {ApiKeyHeader} header or a bearer token in the Authorization header.";
        }

        // Failed attempts share the client address's bucket, so guessing keys is rate limited (and not audited past it).
        using (var lease = _limiter.AttemptAcquire("ip:" + context.Connection.RemoteIpAddress))
        {
            if (!lease.IsAcquired)
            {
                context.Response.Headers.RetryAfter = "1";
                await Problems.WriteAsync(context, Problems.RateLimited, "Too many failed requests from this client; slow down.").ConfigureAwait(false);
                return null;
            }
        }

        await DenyAsync(context, "unauthenticated", "authenticate", ApiRole.Read, null, "Unauthenticated").ConfigureAwait(false);
        context.Response.Headers.WWWAuthenticate = "Bearer, ApiKey";
        await Problems.WriteAsync(context, Problems.Unauthenticated, failure).ConfigureAwait(false);
        return null;
    }

    private async ValueTask<(Caller? Caller, string Failure)> FromBearerAsync(HttpContext context)
    {
        if (_options.Oidc.Authority is null)
        {
            return (null, "Bearer tokens are not accepted by this server (no OIDC issuer is configured); use an API key.");
        }

        var result = await context.AuthenticateAsync(JwtBearerDefaults.AuthenticationScheme).ConfigureAwait(false);
        if (!result.Succeeded || result.Principal is null)
        {
            return (null, "The bearer token is not valid (signature, issuer, audience or lifetime).");
        }

        var principal = result.Principal;
        var oidc = _options.Oidc;
        if (!ApiRoles.TryParse(principal.FindFirstValue(oidc.RoleClaim), out var role))
        {
            return (null, $"The bearer token carries no role in its '{oidc.RoleClaim}' claim (read, write or admin).");
        }

        var subject = principal.FindFirstValue(ClaimTypes.NameIdentifier) ?? principal.FindFirstValue("sub") ?? "unknown";
        var actor = "oidc:" + (subject.Length > 150 ? subject[..150] : subject);
        return (new Caller(actor, role, principal.FindFirstValue(oidc.ScopeClaim) ?? "", principal.FindFirstValue(oidc.TenantClaim), "sub:" + subject), "");
    }

    private async ValueTask DenyAsync(HttpContext context, string actor, string operation, ApiRole role, string? streamId, string reason)
    {
        LogDenied(_logger, actor, operation, reason);
        var log = _store.GetFeature<IAuditLogStore>();
        if (log is null)
        {
            return;
        }

        var action = role switch { ApiRole.Read => AuditAction.Read, ApiRole.Write => AuditAction.Append, _ => AuditAction.Admin };
        var stream = streamId is { Length: <= Extensibility.AppendValidation.MaxStreamIdLength } && !streamId.Any(char.IsControl) ? streamId : null;
        var safeActor = actor.Any(char.IsControl) ? "unprintable" : actor;
        try
        {
            await log.AppendAuditAsync([new AuditRecord(_clock.GetUtcNow(), safeActor, action, "http-" + operation, stream, AuditOutcome.Failed, reason, 0)], CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // The refusal stands whether or not it could be recorded.
            LogAuditFailed(_logger, ex.GetType().Name);
        }

        _ = context;
    }

    public void Dispose() => _limiter.Dispose();

    [LoggerMessage(1, LogLevel.Information, "Refused {Actor}: {Operation} ({Reason})")]
    private static partial void LogDenied(ILogger logger, string actor, string operation, string reason);

    [LoggerMessage(2, LogLevel.Warning, "Could not record a refusal in the audit log: {ErrorType}")]
    private static partial void LogAuditFailed(ILogger logger, string errorType);

    internal static string Invariant(long value) => value.ToString(CultureInfo.InvariantCulture);
}
