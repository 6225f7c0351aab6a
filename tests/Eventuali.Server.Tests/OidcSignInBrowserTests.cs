using System.Net;
using Microsoft.Playwright;

namespace Eventuali.Server.Tests;

/// <summary>
/// "Sign in with OIDC" in the web UI against the real provider (<see cref="OidcProvider"/>): the page runs the
/// authorization code flow with PKCE through the provider's own login and consent pages, comes back signed in with
/// the account's role and scope, and its live feed carries the access token.
/// </summary>
public sealed class OidcSignInBrowserTests
{
    [Fact]
    public async Task The_UI_signs_in_at_the_provider_with_PKCE_and_follows_the_live_feed_in_the_accounts_scope()
    {
        await using var host = await OidcProvider.StartServerAsync(configure: o =>
        {
            o.Oidc.UiClientId = "eventuali-ui"; // provider.mjs's public client
            o.Oidc.UiScope = "openid events";
        });
        using var writer = host.Client((await host.Keys.CreateAsync(ApiRole.Write)).Key);
        Assert.Equal(HttpStatusCode.OK, (await writer.PostAsync("/streams/orders-1", Http.Json(Http.Events("placed")))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await writer.PostAsync("/streams/secret-1", Http.Json(Http.Events("hidden")))).StatusCode);

        using var playwright = await Playwright.CreateAsync();
        await using var chromium = await Chromium.OpenPageAsync(playwright);
        var (page, errors) = (chromium.Page, chromium.Errors);
        // The provider's built-in pages link a web font; there is no internet here, so fail it at once.
        await page.RouteAsync(url => !url.StartsWith("http://127.0.0.1:", StringComparison.Ordinal), route => route.AbortAsync());
        await page.GotoAsync(new Uri(host.Address, "/ui/").ToString());

        await page.ClickAsync("#oidc-signin");
        try
        {
            await page.WaitForSelectorAsync("input[name=login]");
        }
        catch (TimeoutException)
        {
            Assert.Fail($"The provider's login page did not show; the page is at {page.Url} and says: {await page.TextContentAsync("body")}");
        }

        await page.FillAsync("input[name=login]", "ui-writer"); // role write, scope "orders-" (provider.mjs)
        await page.FillAsync("input[name=password]", "any");
        await page.ClickAsync("button[type=submit]");
        await page.ClickAsync("button:has-text('Continue')"); // the consent page

        // Back on the UI, which swaps the code for tokens and logs in (generous: a loaded machine, several round trips).
        await Assertions.Expect(page.Locator("#who")).ToContainTextAsync("oidc:ui-writer", new LocatorAssertionsToContainTextOptions { Timeout = 60_000 });
        await Assertions.Expect(page.Locator("#who")).ToContainTextAsync("write");
        Assert.DoesNotContain("code=", page.Url, StringComparison.Ordinal);
        Assert.StartsWith("eyJ", await page.EvaluateAsync<string>("() => sessionStorage.getItem('eventuali-key')"), StringComparison.Ordinal);
        await Assertions.Expect(page.Locator("#streams li >> text=orders-1")).ToHaveCountAsync(1);
        await Assertions.Expect(page.Locator("#streams li >> text=secret-1")).ToHaveCountAsync(0);

        // The live feed runs on the access token and counts appends made while the page is open.
        using var stop = new CancellationTokenSource();
        var appends = Task.Run(async () =>
        {
            for (var n = 0; n < 600 && !stop.IsCancellationRequested; n++)
            {
                Assert.Equal(HttpStatusCode.OK, (await writer.PostAsync("/streams/orders-2", Http.Json(Http.Events("placed")))).StatusCode);
                await Task.Delay(50);
            }
        });
        try
        {
            await page.WaitForFunctionAsync("() => Number(document.getElementById('seen').textContent) >= 3", null, new PageWaitForFunctionOptions { Timeout = 60_000 });
        }
        finally
        {
            await stop.CancelAsync();
            await appends;
        }

        Assert.Empty(errors);
    }

    [Fact]
    public async Task The_login_config_names_only_the_issuer_client_scope_and_resource_and_the_page_may_reach_the_issuer()
    {
        await using var host = await OidcProvider.StartServerAsync(configure: o => o.Oidc.UiClientId = "eventuali-ui");
        using var http = host.Client();
        var config = await http.GetStringAsync("/ui/login-config");
        Assert.Equal($$$"""{"oidc":{"authority":"{{{OidcProvider.Issuer}}}","clientId":"eventuali-ui","scope":"openid","resource":"{{{OidcProvider.Audience}}}"}}""", config);
        var ui = await http.GetAsync("/ui/");
        Assert.Contains("connect-src 'self' " + new Uri(OidcProvider.Issuer).GetLeftPart(UriPartial.Authority), ui.Headers.GetValues("Content-Security-Policy").Single(), StringComparison.Ordinal);

        await using var plain = await ServerHost.StartAsync();
        using var other = plain.Client();
        Assert.Equal("""{"oidc":null}""", await other.GetStringAsync("/ui/login-config"));
        Assert.Contains("connect-src 'self';", (await other.GetAsync("/ui/")).Headers.GetValues("Content-Security-Policy").Single(), StringComparison.Ordinal);
    }
}
