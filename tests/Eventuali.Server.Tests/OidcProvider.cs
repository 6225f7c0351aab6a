using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;

namespace Eventuali.Server.Tests;

/// <summary>
/// The local OpenID Connect provider (the npm oidc-provider package) that scripts/oidc-provider.sh starts and names in
/// EVENTUALI_OIDC_ISSUER; tokens come from its token endpoint by the client-credentials grant.
/// </summary>
internal static class OidcProvider
{
    public const string Audience = "urn:eventuali:api";
    public const string OtherAudience = "urn:eventuali:other";
    private const string Secret = "eventuali-local-test-secret"; // tests/oidc-provider/provider.mjs

    public static string Issuer
        => Environment.GetEnvironmentVariable("EVENTUALI_OIDC_ISSUER") is { Length: > 0 } issuer
            ? issuer
            : throw new InvalidOperationException("EVENTUALI_OIDC_ISSUER is not set: run eval \"$(bash scripts/oidc-provider.sh | tail -n 1)\" (it installs and starts the local OIDC provider).");

    /// <summary>Starts a server that accepts the provider's tokens for <see cref="Audience"/>, with no clock skew allowed.</summary>
    public static Task<ServerHost> StartServerAsync(Action<IServiceCollection>? services = null, Action<EventualiServerOptions>? configure = null)
        => ServerHost.StartAsync(o =>
        {
            o.Oidc.Authority = Issuer;
            o.Oidc.Audience = Audience;
            o.Oidc.RequireHttpsMetadata = false; // a loopback test provider; production issuers are HTTPS
            o.Oidc.ClockSkew = TimeSpan.Zero;
            configure?.Invoke(o);
        }, services);

    /// <summary>An access token for <paramref name="clientId"/> (one of provider.mjs's clients) and <paramref name="resource"/>.</summary>
    public static async Task<string> TokenAsync(string clientId, string resource = Audience)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(60) };
        using var response = await http.PostAsync(new Uri(Issuer + "/token"), new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "client_credentials",
            ["client_id"] = clientId,
            ["client_secret"] = Secret,
            ["resource"] = resource,
        }));
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(response.IsSuccessStatusCode, $"the provider refused a token for {clientId}: {body}");
        return body.GetProperty("access_token").GetString()!;
    }
}
