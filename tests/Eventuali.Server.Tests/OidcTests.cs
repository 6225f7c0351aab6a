using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Eventuali.Server.Tests;

/// <summary>
/// Bearer tokens against an issuer on a loopback port that publishes a discovery document and its signing key
/// (JWKS), as an OIDC provider does: a valid token is accepted with its role and scope; forged, unsigned
/// (<c>alg: none</c>), expired, wrong-audience and role-less tokens are refused and audited.
/// </summary>
public sealed class OidcTests : IAsyncLifetime
{
    private const string Audience = "eventuali-api";
    private readonly RSA _rsa = RSA.Create(2048);
    private WebApplication _issuer = null!;
    private string _issuerUrl = "";
    private ServerHost _host = null!;

    public async ValueTask InitializeAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        _issuer = builder.Build();
        _issuer.MapGet("/.well-known/openid-configuration", () => Results.Text(
            JsonSerializer.Serialize(new Dictionary<string, object> { ["issuer"] = _issuerUrl, ["jwks_uri"] = _issuerUrl + "/jwks", ["id_token_signing_alg_values_supported"] = new[] { "RS256" } }),
            "application/json"));
        _issuer.MapGet("/jwks", () =>
        {
            var p = _rsa.ExportParameters(false);
            var jwk = new Dictionary<string, string> { ["kty"] = "RSA", ["use"] = "sig", ["kid"] = "k1", ["alg"] = "RS256", ["n"] = Base64UrlEncoder.Encode(p.Modulus!), ["e"] = Base64UrlEncoder.Encode(p.Exponent!) };
            return Results.Text(JsonSerializer.Serialize(new { keys = new[] { jwk } }), "application/json");
        });
        await _issuer.StartAsync();
        _issuerUrl = _issuer.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        _host = await ServerHost.StartAsync(o =>
        {
            o.Oidc.Authority = _issuerUrl;
            o.Oidc.Audience = Audience;
            o.Oidc.RequireHttpsMetadata = false; // a loopback test issuer; production issuers are HTTPS
        });
    }

    public async ValueTask DisposeAsync()
    {
        await _host.DisposeAsync();
        await _issuer.StopAsync();
        await _issuer.DisposeAsync();
        _rsa.Dispose();
    }

    private string Token(RSA key, string? role = "read", string audience = Audience, DateTime? expires = null)
    {
        var claims = new Dictionary<string, object> { ["sub"] = "alice", ["eventuali_scope"] = "orders-" };
        if (role is not null)
        {
            claims["eventuali_role"] = role;
        }

        var now = DateTime.UtcNow;
        var exp = expires ?? now.AddMinutes(10);
        return new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = _issuerUrl,
            Audience = audience,
            IssuedAt = exp.AddMinutes(-20),
            NotBefore = exp.AddMinutes(-20),
            Expires = exp,
            Claims = claims,
            SigningCredentials = new SigningCredentials(new RsaSecurityKey(key) { KeyId = "k1" }, SecurityAlgorithms.RsaSha256),
        });
    }

    private HttpClient WithToken(string token)
    {
        var client = _host.Client();
        client.DefaultRequestHeaders.Authorization = Http.Bearer(token);
        return client;
    }

    [Fact]
    public async Task A_valid_token_gets_its_role_and_scope()
    {
        var client = WithToken(Token(_rsa, "write"));
        var me = await Http.JsonAsync(await client.GetAsync("/me"));
        Assert.Equal("oidc:alice", me.GetProperty("actor").GetString());
        Assert.Equal("write", me.GetProperty("role").GetString());
        Assert.Equal(HttpStatusCode.OK, (await client.PostAsync("/streams/orders-9", Http.Json(Http.Events("a")))).StatusCode);
        await Http.ProblemAsync(await client.PostAsync("/streams/secret-9", Http.Json(Http.Events("a"))), 403, "forbidden");
    }

    [Fact]
    public async Task Forged_unsigned_expired_wrong_audience_and_roleless_tokens_are_refused()
    {
        using var other = RSA.Create(2048);
        var valid = Token(_rsa);
        var parts = valid.Split('.');
        var none = Base64UrlEncoder.Encode(Encoding.UTF8.GetBytes("""{"alg":"none","typ":"JWT"}""")) + "." + parts[1] + ".";
        var tampered = parts[0] + "." + Base64UrlEncoder.Encode(Encoding.UTF8.GetBytes(Base64UrlEncoder.Decode(parts[1]).Replace("\"read\"", "\"admin\"", StringComparison.Ordinal))) + "." + parts[2];
        var refused = new Dictionary<string, string>
        {
            ["forged"] = Token(other),
            ["alg none"] = none,
            ["tampered"] = tampered,
            ["expired"] = Token(_rsa, expires: DateTime.UtcNow.AddMinutes(-10)),
            ["audience"] = Token(_rsa, audience: "someone-else"),
            ["no role"] = Token(_rsa, role: null),
            ["garbage"] = "not.a.token",
        };
        var head = await _host.Store.GetHeadPositionAsync();
        foreach (var (name, token) in refused)
        {
            var client = WithToken(token);
            var response = await client.PostAsync("/streams/orders-1", Http.Json(Http.Events("a")));
            Assert.True(response.StatusCode == HttpStatusCode.Unauthorized, $"{name}: {(int)response.StatusCode}");
            var problem = await Http.ProblemAsync(response, 401, "unauthenticated");
            Assert.DoesNotContain(token, problem.GetRawText(), StringComparison.Ordinal);
        }

        Assert.Null(await _host.Store.GetStreamVersionAsync("orders-1"));
        Assert.Equal(HttpStatusCode.OK, (await WithToken(valid).GetAsync("/me")).StatusCode);
        _ = head;
    }
}
