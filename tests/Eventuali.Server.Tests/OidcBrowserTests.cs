using System.Net;
using Microsoft.Playwright;

namespace Eventuali.Server.Tests;

/// <summary>
/// Logging in to the web UI with an access token from the real OIDC provider (<see cref="OidcProvider"/>) instead of
/// an API key: the page sends it as a bearer token on every call and on the live feed, and shows only the token's
/// scope.
/// </summary>
public sealed class OidcBrowserTests
{
    [Fact]
    public async Task The_UI_logs_in_with_an_OIDC_access_token_and_follows_the_live_feed_in_its_scope()
    {
        await using var host = await OidcProvider.StartServerAsync();
        var token = await OidcProvider.TokenAsync("eventuali-writer"); // role write, scope "orders-"
        using var http = host.Client();
        http.DefaultRequestHeaders.Authorization = Http.Bearer(token);
        Assert.Equal(HttpStatusCode.OK, (await http.PostAsync("/streams/orders-1", Http.Json(Http.Events("placed")))).StatusCode);
        await host.Store.AppendAsync("secret-1", ExpectedVersion.Any, [new EventData(EventData.NewEventId(), "hidden", "{}"u8.ToArray(), EventMetadata.Empty, ContentTypes.Json)]);

        using var playwright = await Playwright.CreateAsync();
        await using var chromium = await Chromium.OpenPageAsync(playwright);
        var (page, errors) = (chromium.Page, chromium.Errors);
        await page.GotoAsync(new Uri(host.Address, "/ui/").ToString());

        await page.FillAsync("#key", token);
        await page.ClickAsync("#login");
        await Assertions.Expect(page.Locator("#who")).ToContainTextAsync("oidc:eventuali-writer");
        await Assertions.Expect(page.Locator("#who")).ToContainTextAsync("write");

        // Only the token's scope: the orders stream, never the secret one.
        await page.FillAsync("#search", "");
        await Assertions.Expect(page.Locator("#streams li >> text=orders-1")).ToHaveCountAsync(1);
        await Assertions.Expect(page.Locator("#streams li >> text=secret-1")).ToHaveCountAsync(0);

        // The live feed (fetch with the bearer token, from the end) counts appends made while the page is open; the
        // writer keeps appending until it does, since the feed may start after the first appends.
        using var stop = new CancellationTokenSource();
        var writer = Task.Run(async () =>
        {
            for (var n = 0; n < 600 && !stop.IsCancellationRequested; n++)
            {
                Assert.Equal(HttpStatusCode.OK, (await http.PostAsync("/streams/orders-2", Http.Json(Http.Events("placed")))).StatusCode);
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
            await writer;
        }

        Assert.Empty(errors);
    }
}
