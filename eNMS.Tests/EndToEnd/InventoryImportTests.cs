using eNMS.Tests.Web;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace eNMS.Tests.EndToEnd;

/// <summary>The inventory UI in real Chromium against the app on Kestrel.</summary>
[Collection(Browser.Collection)]
public sealed class InventoryImportTests
{
    [ChromiumFact]
    public async Task Import_a_workbook_with_bad_rows_then_find_the_devices()
    {
        await using var app = new AppServer();
        app.StartServer();
        await using var browser = await BrowserSession.LaunchAsync();
        var page = await browser.NewPageAsync(app, width: 1280, height: 720);

        await Browser.StepsAsync(page, "import", async () =>
        {
            var cspViolations = await Browser.SignInAtAsync(page, "/import");
            // InputFile wires its change listener from JS after the first interactive render; on a loaded machine a
            // file set just before that is not seen, so choose it again until the preview shows (bounded).
            for (var attempt = 1; ; attempt++)
            {
                await page.Locator("input[type=file]").SetInputFilesAsync(new FilePayload
                {
                    Name = "inventory.xlsx",
                    MimeType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                    Buffer = TestWorkbooks.WithBadRows(),
                });
                try
                {
                    await Expect(page.GetByTestId("problem-row").First).ToBeVisibleAsync(new() { Timeout = 10_000 });
                    break;
                }
                catch (PlaywrightException) when (attempt < 3)
                {
                }
            }

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

            // A link between two imported devices, picked with the server-side autocompletes.
            await page.GotoAsync("/links/new");
            await Expect(page.GetByTestId("interactive")).ToBeAttachedAsync();
            await page.Locator("input[data-testid=field-name]").FillAsync("edge-1:core-2");
            await page.Locator("input[data-testid=field-source]").FillAsync("edge");
            await page.Locator(".mud-popover-open .mud-list-item").Filter(new() { HasText = "edge-1" }).ClickAsync();
            await page.Locator("input[data-testid=field-destination]").FillAsync("core-2");
            await page.Locator(".mud-popover-open .mud-list-item").Filter(new() { HasText = "core-2" }).ClickAsync();
            await page.GetByTestId("save").ClickAsync();
            await Expect(page.GetByTestId("link-name")).ToHaveTextAsync(["edge-1:core-2"]);
            await page.ScreenshotAsync(new() { Path = Path.Combine(Path.GetTempPath(), "enms-e2e-import-done.png"), FullPage = true });
            Assert.Empty(cspViolations);
        });
    }
}
