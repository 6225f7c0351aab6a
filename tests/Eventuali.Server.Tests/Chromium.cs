using Microsoft.Playwright;

namespace Eventuali.Server.Tests;

/// <summary>
/// Debian's headless Chromium (scripts/chromium.sh installs it; EVENTUALI_CHROMIUM names it) driven by Playwright,
/// launched the same way for every browser test: one page with generous timeouts for a loaded machine, and the page's
/// script errors collected so a test can assert there were none.
/// </summary>
internal sealed class Chromium : IAsyncDisposable
{
    private static readonly string[] Flags =
    [
        "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
        "--disable-component-update", "--disable-sync",
    ];

    private readonly IBrowser _browser;

    private Chromium(IBrowser browser, IPage page)
    {
        _browser = browser;
        Page = page;
        page.PageError += (_, e) => Errors.Add(e);
    }

    public IPage Page { get; }

    /// <summary>Uncaught script errors of the page so far.</summary>
    public List<string> Errors { get; } = [];

    /// <summary>Launches Chromium and opens one page (1400 x 1000 unless <paramref name="viewport"/> says otherwise).</summary>
    public static async Task<Chromium> OpenPageAsync(IPlaywright playwright, ViewportSize? viewport = null)
    {
        var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ExecutablePath(),
            Headless = true,
            Args = Flags,
            Timeout = 120_000,
        });
        try
        {
            var page = await browser.NewPageAsync(new BrowserNewPageOptions { ViewportSize = viewport ?? new ViewportSize { Width = 1400, Height = 1000 } });
            page.SetDefaultTimeout(60_000);
            return new Chromium(browser, page);
        }
        catch
        {
            await browser.DisposeAsync();
            throw;
        }
    }

    public ValueTask DisposeAsync() => _browser.DisposeAsync();

    private static string ExecutablePath()
    {
        var path = Environment.GetEnvironmentVariable("EVENTUALI_CHROMIUM") is { Length: > 0 } named ? named : "/usr/bin/chromium";
        Assert.True(File.Exists(path), $"Chromium not found at {path}: run scripts/chromium.sh (it installs Debian's chromium) and export what it prints.");
        return path;
    }
}
