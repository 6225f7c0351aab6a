using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Eventuali.Server.Tests;

/// <summary>
/// Bearer tokens issued by a real OpenID Connect provider (npm oidc-provider, see <see cref="OidcProvider"/>), checked
/// against its discovery document and JWKS: a valid token is accepted with its role and scope; tokens for another
/// audience, without a role, past their expiry, re-signed with another key, unsigned (<c>alg: none</c>) or tampered
/// with are refused and nothing is written.
/// </summary>
public sealed class OidcTests : IAsyncLifetime
{
    private ServerHost _host = null!;

    public async ValueTask InitializeAsync() => _host = await OidcProvider.StartServerAsync();

    public ValueTask DisposeAsync() => _host.DisposeAsync();

    private HttpClient WithToken(string token)
    {
        var client = _host.Client();
        client.DefaultRequestHeaders.Authorization = Http.Bearer(token);
        return client;
    }

    private static JsonElement Part(string token, int index)
        => JsonDocument.Parse(Base64UrlEncoder.Decode(token.Split('.')[index])).RootElement.Clone();

    [Fact]
    public async Task A_token_from_the_provider_gets_its_role_and_scope()
    {
        var token = await OidcProvider.TokenAsync("eventuali-writer");
        Assert.Equal("RS256", Part(token, 0).GetProperty("alg").GetString());
        Assert.Equal(OidcProvider.Audience, Part(token, 1).GetProperty("aud").GetString());
        var client = WithToken(token);
        var me = await Http.JsonAsync(await client.GetAsync("/me"));
        Assert.Equal("oidc:eventuali-writer", me.GetProperty("actor").GetString());
        Assert.Equal("write", me.GetProperty("role").GetString());
        Assert.Equal("orders-", me.GetProperty("scope").GetString());
        Assert.Equal(HttpStatusCode.OK, (await client.PostAsync("/streams/orders-9", Http.Json(Http.Events("a")))).StatusCode);
        await Http.ProblemAsync(await client.PostAsync("/streams/secret-9", Http.Json(Http.Events("a"))), 403, "forbidden");
    }

    [Fact]
    public async Task Wrong_audience_roleless_forged_unsigned_and_tampered_tokens_are_refused()
    {
        var valid = await OidcProvider.TokenAsync("eventuali-writer");
        var parts = valid.Split('.');
        using var other = RSA.Create(2048);
        var kid = Part(valid, 0).GetProperty("kid").GetString();
        // The provider's own claims and key id, signed with a key it never published.
        var forged = new JsonWebTokenHandler().CreateToken(
            Base64UrlEncoder.Decode(parts[1]),
            new SigningCredentials(new RsaSecurityKey(other) { KeyId = kid }, SecurityAlgorithms.RsaSha256));
        var none = Base64UrlEncoder.Encode(Encoding.UTF8.GetBytes("""{"alg":"none","typ":"JWT"}""")) + "." + parts[1] + ".";
        var tampered = parts[0] + "." + Base64UrlEncoder.Encode(Encoding.UTF8.GetBytes(Base64UrlEncoder.Decode(parts[1]).Replace("\"orders-\"", "\"\"", StringComparison.Ordinal))) + "." + parts[2];
        var refused = new Dictionary<string, string>
        {
            ["audience"] = await OidcProvider.TokenAsync("eventuali-writer", OidcProvider.OtherAudience),
            ["no role"] = await OidcProvider.TokenAsync("eventuali-norole"),
            ["forged"] = forged,
            ["alg none"] = none,
            ["tampered"] = tampered,
            ["garbage"] = "not.a.token",
        };
        foreach (var (name, token) in refused)
        {
            var response = await WithToken(token).PostAsync("/streams/orders-1", Http.Json(Http.Events("a")));
            Assert.True(response.StatusCode == HttpStatusCode.Unauthorized, $"{name}: {(int)response.StatusCode}");
            var problem = await Http.ProblemAsync(response, 401, "unauthenticated");
            Assert.DoesNotContain(token, problem.GetRawText(), StringComparison.Ordinal);
        }

        Assert.Null(await _host.Store.GetStreamVersionAsync("orders-1"));
        Assert.Equal(HttpStatusCode.OK, (await WithToken(valid).GetAsync("/me")).StatusCode);
    }

    [Fact]
    public async Task A_token_is_refused_once_it_expires()
    {
        // The provider gives this client one-second tokens; the server allows no clock skew here.
        var token = await OidcProvider.TokenAsync("eventuali-shortlived");
        var claims = Part(token, 1);
        Assert.Equal(1, claims.GetProperty("exp").GetInt64() - claims.GetProperty("iat").GetInt64());
        var client = WithToken(token);
        var deadline = DateTime.UtcNow.AddSeconds(60);
        HttpResponseMessage response;
        while (true)
        {
            response = await client.PostAsync("/streams/expiry-1", Http.Json(Http.Events("a")));
            if (response.StatusCode == HttpStatusCode.Unauthorized || DateTime.UtcNow > deadline)
            {
                break;
            }

            Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode); // a read token may not append, until it may not even enter
            await Task.Delay(100); // poll interval while the token runs out, not a wait for work
        }

        await Http.ProblemAsync(response, 401, "unauthenticated");
        Assert.True(DateTimeOffset.UtcNow.ToUnixTimeSeconds() >= claims.GetProperty("exp").GetInt64(), "refused before its expiry");
        Assert.Null(await _host.Store.GetStreamVersionAsync("expiry-1"));
    }
}
