using eNMS.Tests.Web;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace eNMS.Tests.EndToEnd;

/// <summary>The inventory UI in real Chromium against the app on Kestrel.</summary>
public sealed class InventoryImportTests
{
    private static readonly string[] ChromiumArgs =
    [
        "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync",
    ];

    [ChromiumFact]
    public async Task Import_a_workbook_with_bad_rows_then_find_the_devices()
    {
        Assert.True(File.Exists(ChromiumFactAttribute.ChromiumPath),
            $"Debian chromium is required at {ChromiumFactAttribute.ChromiumPath} (apt-get install chromium), or set ENMS_TEST_SKIP=chromium to skip.");
        await using var app = new AppServer();
        app.StartServer();
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await playwright.Chromium.LaunchAsync(new() { ExecutablePath = ChromiumFactAttribute.ChromiumPath, Args = ChromiumArgs });
        var page = await browser.NewPageAsync(new() { BaseURL = app.BaseUrl });
        page.SetDefaultTimeout(20_000);
        SetDefaultExpectTimeout(20_000);

        var cspViolations = new List<string>();
        page.Console += (_, message) =>
        {
            if (message.Text.Contains("Content Security Policy", StringComparison.OrdinalIgnoreCase))
            {
                cspViolations.Add(message.Text);
            }
        };

        // Signed out, the page sends us to the login form, and back after signing in.
        await page.GotoAsync("/import");
        await Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/login"));
        await page.GetByTestId("login-user").FillAsync("admin");
        await page.GetByTestId("login-password").FillAsync(AppServer.AdminPassword);
        await page.GetByTestId("login-submit").ClickAsync();
        await Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/import$"));
        await Expect(page.GetByTestId("interactive")).ToBeAttachedAsync(new() { Timeout = 20_000 });
        await page.Locator("input[type=file]").SetInputFilesAsync(new FilePayload
        {
            Name = "inventory.xlsx",
            MimeType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            Buffer = TestWorkbooks.WithBadRows(),
        });

        await Expect(page.GetByTestId("problem-row")).ToHaveTextAsync(["3", "5"]);
        await Expect(page.GetByTestId("problem-column")).ToHaveTextAsync(["port", "name"]);
        await Expect(page.Locator("[data-testid=counts-devices] [data-testid=created]")).ToHaveTextAsync("3");

        await page.GetByTestId("commit").ClickAsync();
        await Expect(page.GetByTestId("import-committed")).ToBeVisibleAsync();

        await page.GetByTestId("go-devices").ClickAsync();
        await Expect(page.GetByTestId("device-name")).ToHaveTextAsync(["edge-1", "core-1", "core-2"]);

        await page.Locator("input[data-testid=filter-name]").FillAsync("core");
        await Expect(page.GetByTestId("device-name")).ToHaveTextAsync(["core-1", "core-2"]);
        await page.Locator("input[data-testid=filter-vendor]").FillAsync("=juniper");
        await Expect(page.GetByTestId("device-name")).ToHaveTextAsync(["core-2"]);
        await page.ScreenshotAsync(new() { Path = Path.Combine(Path.GetTempPath(), "enms-e2e-devices.png"), FullPage = true });
        Assert.Empty(cspViolations);
    }
}
