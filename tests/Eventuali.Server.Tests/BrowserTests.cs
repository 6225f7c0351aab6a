using System.Net;
using System.Text.Json;
using Eventuali.Hosting;
using Eventuali.Projections;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace Eventuali.Server.Tests;

/// <summary>
/// The web UI in Debian's headless Chromium (scripts/chromium.sh installs it; EVENTUALI_CHROMIUM names it), driven by
/// Playwright: log in with a key, browse and open a stream, open an event, step the debugger, watch the live chart
/// count appends made meanwhile, draw the event-flow diagram, rebuild a projection; a screenshot is kept as a test artefact.
/// </summary>
public sealed class BrowserTests
{
    [Fact]
    public async Task Log_in_browse_open_an_event_step_watch_the_chart_and_rebuild()
    {
        await using var host = await ServerHost.StartAsync(services: s => s.AddEventualiProjections(_ => [new Counter()]));
        var admin = await host.Keys.CreateAsync(ApiRole.Admin);
        var http = host.Client(admin.Key);
        var opened = Guid.NewGuid();
        var first = $$$"""[{"id":"{{{opened}}}","type":"opened","data":{"owner":"ada","balance":0}},{"type":"deposited","data":{"balance":50},"metadata":{"causationId":"{{{opened}}}","correlationId":"c-7"}},{"type":"deposited","data":{"balance":80}}]""";
        Assert.Equal(HttpStatusCode.OK, (await http.PostAsync("/streams/account-42", Http.Json(first))).StatusCode);
        await http.PostAsync("/streams/order-1", Http.Json(Http.Events("placed")));

        using var playwright = await Playwright.CreateAsync();
        await using var chromium = await Chromium.OpenPageAsync(playwright);
        var (page, errors) = (chromium.Page, chromium.Errors);
        await page.GotoAsync(new Uri(host.Address, "/ui/").ToString());

        // A wrong key is refused with a message; the right one logs in.
        await page.FillAsync("#key", "evk_0000000000000000_wrongwrongwrongwrong");
        await page.ClickAsync("#login");
        await Assertions.Expect(page.Locator("#login-error")).ToContainTextAsync("401");
        await page.FillAsync("#key", admin.Key);
        await page.ClickAsync("#login");
        await Assertions.Expect(page.Locator("#who")).ToContainTextAsync("admin");

        // Search and open a stream, open an event, follow its causation link.
        await page.FillAsync("#search", "acc");
        await Assertions.Expect(page.Locator("#streams li")).ToHaveCountAsync(1);
        await page.ClickAsync("#streams li >> text=account-42");
        await Assertions.Expect(page.Locator("#events tbody tr")).ToHaveCountAsync(3);
        await page.ClickAsync("#events tbody tr:nth-child(2)");
        await Assertions.Expect(page.Locator("#event-data")).ToContainTextAsync("50");
        await Assertions.Expect(page.Locator("#event-fields")).ToContainTextAsync("c-7");
        await page.ClickAsync("#event-fields a.link");
        await Assertions.Expect(page.Locator("#event-title")).ToContainTextAsync("account-42 @ 1");

        // Time travel: the state at version 1, then at version 2.
        await page.ClickAsync("#events tbody tr:nth-child(1)");
        await Assertions.Expect(page.Locator("#step-version")).ToHaveTextAsync("1");
        await Assertions.Expect(page.Locator("#state")).ToContainTextAsync("\"balance\": 0");
        await page.ClickAsync("#step-next");
        await Assertions.Expect(page.Locator("#step-version")).ToHaveTextAsync("2");
        await Assertions.Expect(page.Locator("#state")).ToContainTextAsync("\"balance\": 50");

        // The live chart counts appends made while the page is open.
        using var stop = new CancellationTokenSource();
        var writer = Task.Run(async () =>
        {
            var n = 0;
            while (!stop.IsCancellationRequested && n < 600)
            {
                await http.PostAsync($"/streams/load-{n % 5}", Http.Json(Http.Events("tick", "tick", "tick", "tick", "tick")));
                n++;
                await Task.Delay(20);
            }
        });
        try
        {
            await page.WaitForFunctionAsync("() => Number(document.getElementById('seen').textContent) >= 100", null, new PageWaitForFunctionOptions { Timeout = 90_000 });
            await page.WaitForFunctionAsync("() => !document.getElementById('rate').textContent.startsWith('0 ')", null, new PageWaitForFunctionOptions { Timeout = 30_000 });
        }
        finally
        {
            await stop.CancelAsync();
            await writer;
        }

        // The event-flow diagram: event types drawn as nodes, the timed causation hop marked as the slowest edge.
        await page.ClickAsync("#flow-draw");
        await Assertions.Expect(page.Locator("#flow g.node[data-id='event:opened']")).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("#flow g.node[data-id='event:deposited']")).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("#flow g.edge.slow[data-from='event:opened'][data-to='event:deposited']")).ToHaveCountAsync(1);
        await Assertions.Expect(page.Locator("#flow-note")).ToContainTextAsync("Slowest: event:opened");

        // Rebuild a projection from its row.
        await page.ClickAsync("#refresh-projections");
        await Assertions.Expect(page.Locator("#projections tbody tr")).ToHaveCountAsync(1);
        await page.ClickAsync("#projections tbody button");
        await Assertions.Expect(page.Locator("#projections-note")).ToContainTextAsync("Rebuild of counter requested");

        var artefacts = Environment.GetEnvironmentVariable("EVENTUALI_TEST_ARTIFACTS") is { Length: > 0 } dir ? dir : Path.Combine(AppContext.BaseDirectory, "artifacts");
        Directory.CreateDirectory(artefacts);
        var shot = Path.Combine(artefacts, "ui.png");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = shot, FullPage = true });
        Assert.True(new FileInfo(shot).Length > 10_000);
        TestContext.Current.SendDiagnosticMessage($"UI screenshot: {shot}");
        Assert.Empty(errors);
        _ = JsonSerializer.Serialize(errors);
    }

    [Fact]
    public async Task Admin_views_retry_a_dead_letter_revoke_a_key_and_show_the_denial()
    {
        var poison = new AdminApiTests.Poison();
        await using var host = await ServerHost.StartAsync(services: s => s.AddEventualiProjections(_ => [poison]));
        var admin = await host.Keys.CreateAsync(ApiRole.Admin);
        var reader = await host.Keys.CreateAsync(ApiRole.Read);
        var victim = await host.Keys.CreateAsync(ApiRole.Write, "victim-");
        var http = host.Client(admin.Key);
        Assert.Equal(HttpStatusCode.OK, (await http.PostAsync("/streams/job-7", Http.Json(Http.Events("ok", "poison")))).StatusCode);
        var projections = host.Store.GetProjectionStore();
        await WaitAsync(async () => (await projections.ReadDeadLettersAsync("poison")).Count == 1, "the poison event to be parked");

        // The read key is refused the admin routes (and each refusal is audited).
        var denied = await host.Client(reader.Key).GetAsync("/keys");
        Assert.Equal(HttpStatusCode.Forbidden, denied.StatusCode);

        using var playwright = await Playwright.CreateAsync();
        await using var chromium = await Chromium.OpenPageAsync(playwright);
        var (page, errors) = (chromium.Page, chromium.Errors);
        await page.GotoAsync(new Uri(host.Address, "/ui/").ToString());

        // A read key does not see the admin views.
        await page.FillAsync("#key", reader.Key);
        await page.ClickAsync("#login");
        await Assertions.Expect(page.Locator("#who")).ToContainTextAsync("read");
        await Assertions.Expect(page.Locator("#admin-views")).ToBeHiddenAsync();
        await page.ClickAsync("#logout");
        await page.FillAsync("#key", admin.Key);
        await page.ClickAsync("#login");
        await Assertions.Expect(page.Locator("#who")).ToContainTextAsync("admin");
        await Assertions.Expect(page.Locator("#admin-views")).ToBeVisibleAsync();

        // Dead letters: the parked event is listed; once the handler is fixed, Retry clears it.
        await Assertions.Expect(page.Locator("#dead-letters tbody tr")).ToHaveCountAsync(1);
        await Assertions.Expect(page.Locator("#dead-letters tbody tr")).ToContainTextAsync("poisoned event");
        poison.Healed = true;
        await page.ClickAsync("#dead-letters tbody button");
        await Assertions.Expect(page.Locator("#dead-letters-note")).ToContainTextAsync("Retry of dead letter");
        await WaitAsync(async () => (await projections.ReadDeadLettersAsync("poison")).Count == 0, "the retried dead letter to be cleared");
        await page.ClickAsync("#refresh-dead-letters");
        await Assertions.Expect(page.Locator("#dead-letters tbody tr")).ToHaveCountAsync(0);

        // Keys: no secret is shown; revoking one takes effect at once.
        await Assertions.Expect(page.Locator($"#keys tr[data-key='{victim.Info.Id}']")).ToContainTextAsync("active");
        Assert.DoesNotContain(victim.Key, await page.ContentAsync(), StringComparison.Ordinal);
        await page.ClickAsync($"#keys tr[data-key='{victim.Info.Id}'] button");
        await Assertions.Expect(page.Locator("#keys-note")).ToContainTextAsync($"Key {victim.Info.Id} revoked");
        await Assertions.Expect(page.Locator($"#keys tr[data-key='{victim.Info.Id}']")).ToContainTextAsync("revoked");
        Assert.Equal(HttpStatusCode.Unauthorized, (await host.Client(victim.Key).GetAsync("/me")).StatusCode);

        // Audit: the read key's refusal, filtered by actor and outcome.
        await page.FillAsync("#audit-actor", "apikey:" + reader.Info.Id);
        await page.SelectOptionAsync("#audit-outcome", "failed");
        await page.ClickAsync("#audit-form button[type=submit]");
        await Assertions.Expect(page.Locator("#audit tbody tr")).ToHaveCountAsync(1);
        await Assertions.Expect(page.Locator("#audit tbody tr")).ToContainTextAsync("http-list-keys");
        await Assertions.Expect(page.Locator("#audit tbody tr")).ToContainTextAsync("Forbidden");

        // Latency: events appended now show up on the latency chart's figure.
        using var stop = new CancellationTokenSource();
        var writer = Task.Run(async () =>
        {
            for (var n = 0; n < 300 && !stop.IsCancellationRequested; n++)
            {
                await http.PostAsync($"/streams/lat-{n % 3}", Http.Json(Http.Events("tick")));
                await Task.Delay(50);
            }
        });
        try
        {
            await Assertions.Expect(page.Locator("#latency")).ToContainTextAsync("median", new LocatorAssertionsToContainTextOptions { Timeout = 90_000 });
        }
        finally
        {
            await stop.CancelAsync();
            await writer;
        }

        var artefacts = Environment.GetEnvironmentVariable("EVENTUALI_TEST_ARTIFACTS") is { Length: > 0 } dir ? dir : Path.Combine(AppContext.BaseDirectory, "artifacts");
        Directory.CreateDirectory(artefacts);
        var shot = Path.Combine(artefacts, "ui-admin.png");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = shot, FullPage = true });
        Assert.True(new FileInfo(shot).Length > 10_000);
        TestContext.Current.SendDiagnosticMessage($"UI admin screenshot: {shot}");
        Assert.Empty(errors);
    }

    private static async Task WaitAsync(Func<Task<bool>> condition, string what)
    {
        var deadline = DateTimeOffset.UtcNow.AddSeconds(90);
        while (!await condition())
        {
            Assert.True(DateTimeOffset.UtcNow < deadline, $"Timed out waiting for {what}.");
            await Task.Delay(100);
        }
    }

    private sealed class Counter : Projection
    {
        public Counter()
            : base("counter")
            => On("tick", async (e, ctx, ct) => await ctx.Documents.PutAsync("count", "{}", ct));
    }
}
