namespace Eventuali.Server;

/// <summary>What <c>MapEventuali</c> serves and how it admits callers. Bind it or set it in <c>AddEventualiServer</c>.</summary>
public sealed class EventualiServerOptions
{
    /// <summary>
    /// The role given to a request that carries no credentials, or null (the default) to refuse it with 401.
    /// Anonymous callers are scoped by <see cref="AnonymousScope"/>.
    /// </summary>
    public ApiRole? AnonymousRole { get; set; }

    /// <summary>The stream-id prefix anonymous callers may reach ("" is every stream); used only with <see cref="AnonymousRole"/>.</summary>
    public string AnonymousScope { get; set; } = "";

    /// <summary>The largest request body accepted, in bytes (default 4 MiB); a larger one is refused with 413 before anything is written.</summary>
    public long MaxRequestBodyBytes { get; set; } = 4 * 1024 * 1024;

    /// <summary>The page size of a read that names no <c>limit</c> (default 100).</summary>
    public int DefaultPageSize { get; set; } = 100;

    /// <summary>The largest <c>limit</c> a read accepts (default 10,000); a larger one is refused with 400. Pages stream, so memory stays flat.</summary>
    public int MaxPageSize { get; set; } = 10_000;

    /// <summary>Requests per second each caller (API key, token subject, or client address when anonymous) may make on average (default 200).</summary>
    public int RequestsPerSecond { get; set; } = 200;

    /// <summary>Requests a caller may make in a burst above the average rate (default 400).</summary>
    public int RequestBurst { get; set; } = 400;

    /// <summary>How often an idle server-sent event stream sends a comment, so proxies keep it open (default 15 s).</summary>
    public TimeSpan SseHeartbeat { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>
    /// Whether <c>/subscribe/all</c> connections on the server's own store share one live subscription once they have
    /// caught up to it (default true): each append is then read once for all of them instead of once per connection.
    /// Not used for tenant stores, nor when an interceptor observes the store's operations (the access audit records
    /// each caller's reads).
    /// </summary>
    public bool SseSharedTail { get; set; } = true;

    /// <summary>
    /// With tenancy on (an <c>ITenantStoreFactory</c> registered): whether a request that reaches no tenant (a caller
    /// without a tenant that names none in <c>X-Eventuali-Tenant</c>) is refused with 400 <c>tenant-required</c> on every
    /// route that works on events, instead of working on the server's own store (default false). The server's own
    /// routes (<c>/me</c>, <c>/keys</c>, <c>/tenants</c>, <c>/audit</c>) still answer. <c>eventuali serve</c> over a
    /// tenant directory sets it: there the server's own store holds only keys and the access audit.
    /// </summary>
    public bool RequireTenant { get; set; }

    /// <summary>OIDC bearer tokens; off while <see cref="OidcOptions.Authority"/> is null.</summary>
    public OidcOptions Oidc { get; } = new();

    /// <summary>Whether the web admin UI is served at <c>/ui/</c> (default true). Its pages hold no data; every call they make needs credentials.</summary>
    public bool EnableUi { get; set; } = true;

    internal void Validate()
    {
        if (MaxRequestBodyBytes < 1024)
        {
            throw new ArgumentOutOfRangeException(nameof(MaxRequestBodyBytes), MaxRequestBodyBytes, "MaxRequestBodyBytes must be at least 1024.");
        }

        if (DefaultPageSize < 1 || MaxPageSize < DefaultPageSize)
        {
            throw new ArgumentOutOfRangeException(nameof(MaxPageSize), MaxPageSize, $"Page sizes must satisfy 1 <= DefaultPageSize ({DefaultPageSize}) <= MaxPageSize.");
        }

        if (RequestsPerSecond < 1 || RequestBurst < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(RequestsPerSecond), RequestsPerSecond, "RequestsPerSecond and RequestBurst must be at least 1.");
        }

        if (SseHeartbeat <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(SseHeartbeat), SseHeartbeat, "SseHeartbeat must be positive.");
        }

        ArgumentNullException.ThrowIfNull(AnonymousScope, nameof(AnonymousScope));
        if (Oidc.UiClientId is not null && (Oidc.Authority is null || !Uri.TryCreate(Oidc.Authority, UriKind.Absolute, out _)))
        {
            throw new ArgumentException("Oidc.UiClientId needs Oidc.Authority, an absolute URL: the UI signs in at that issuer.", nameof(EventualiServerOptions));
        }

        if (string.IsNullOrWhiteSpace(Oidc.UiScope))
        {
            throw new ArgumentException("Oidc.UiScope must name at least one scope (e.g. openid).", nameof(EventualiServerOptions));
        }
    }
}

/// <summary>OIDC bearer tokens: JWTs validated against the issuer's discovery document and signing keys.</summary>
public sealed class OidcOptions
{
    /// <summary>The issuer URL; its <c>/.well-known/openid-configuration</c> names the signing keys. Null turns bearer tokens off.</summary>
    public string? Authority { get; set; }

    /// <summary>The audience a token must be issued for (its <c>aud</c> claim).</summary>
    public string? Audience { get; set; }

    /// <summary>Whether the discovery document must be fetched over HTTPS (default true; turn off only for a local test issuer).</summary>
    public bool RequireHttpsMetadata { get; set; } = true;

    /// <summary>Allowed difference between the issuer's clock and ours when checking expiry (default 1 minute).</summary>
    public TimeSpan ClockSkew { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>The claim holding the caller's role (<c>read</c>, <c>write</c> or <c>admin</c>); default <c>eventuali_role</c>.</summary>
    public string RoleClaim { get; set; } = "eventuali_role";

    /// <summary>The claim holding the stream-id prefix the caller may reach; default <c>eventuali_scope</c> (absent: every stream).</summary>
    public string ScopeClaim { get; set; } = "eventuali_scope";

    /// <summary>The claim holding the caller's tenant; default <c>eventuali_tenant</c>.</summary>
    public string TenantClaim { get; set; } = "eventuali_tenant";

    /// <summary>
    /// A public client registered at <see cref="Authority"/> for the web UI (no secret; its redirect URI is the UI's
    /// address, e.g. <c>https://host/ui/</c>). When set, the UI offers "Sign in with OIDC": the authorization code flow
    /// with PKCE, run in the browser. Null (the default): the UI takes a pasted access token only.
    /// </summary>
    public string? UiClientId { get; set; }

    /// <summary>The scopes the UI's sign-in asks for (default <c>openid</c>); add what your provider needs for the API's access token.</summary>
    public string UiScope { get; set; } = "openid";
}
