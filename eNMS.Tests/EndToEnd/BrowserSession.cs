using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace eNMS.Tests.EndToEnd;

/// <summary>Debian Chromium driven by Playwright for one test; disposing it closes the browser and the driver.</summary>
internal sealed class BrowserSession(IPlaywright playwright, IBrowser browser) : IAsyncDisposable
{
    public IBrowser Browser => browser;

    /// <summary>Launches Chromium, or fails naming the missing package (ENMS_TEST_SKIP=chromium opts out).</summary>
    public static async Task<BrowserSession> LaunchAsync(int timeoutMilliseconds = 20_000)
    {
        Assert.True(File.Exists(ChromiumFactAttribute.ChromiumPath),
            $"Debian chromium is required at {ChromiumFactAttribute.ChromiumPath} (apt-get install chromium), or set ENMS_TEST_SKIP=chromium to skip.");
        var playwright = await Playwright.CreateAsync();
        var browser = await playwright.Chromium.LaunchAsync(new() { ExecutablePath = ChromiumFactAttribute.ChromiumPath, Args = EndToEnd.Browser.Args });
        SetDefaultExpectTimeout(timeoutMilliseconds);
        return new BrowserSession(playwright, browser);
    }

    /// <summary>A page on the app under test, with the session's timeout for actions.</summary>
    public Task<IPage> NewPageAsync(AppServer app, int width = 1400, int height = 900, int timeoutMilliseconds = 20_000) =>
        NewPageAsync(app.BaseUrl, width, height, timeoutMilliseconds);

    public async Task<IPage> NewPageAsync(string baseUrl, int width = 1400, int height = 900, int timeoutMilliseconds = 20_000)
    {
        var page = await browser.NewPageAsync(new() { BaseURL = baseUrl, ViewportSize = new() { Width = width, Height = height } });
        page.SetDefaultTimeout(timeoutMilliseconds);
        return page;
    }

    public Task<IBrowserContext> NewContextAsync(BrowserNewContextOptions options) => browser.NewContextAsync(options);

    public async ValueTask DisposeAsync()
    {
        await browser.DisposeAsync();
        playwright.Dispose();
    }
}
