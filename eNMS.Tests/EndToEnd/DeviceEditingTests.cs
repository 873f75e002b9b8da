using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace eNMS.Tests.EndToEnd;

[Collection(Browser.Collection)]
public sealed class DeviceEditingTests
{
    [ChromiumFact]
    public async Task Create_a_device_fix_its_errors_then_bulk_delete_it()
    {
        await using var app = new AppServer();
        app.StartServer();
        await using var browser = await BrowserSession.LaunchAsync();
        var page = await browser.NewPageAsync(app, width: 1280, height: 720);

        await Browser.StepsAsync(page, "device-editing", async () =>
        {
            await Browser.SignInAtAsync(page, "/devices/new");
            await page.Locator("input[data-testid=field-name]").FillAsync("lab-r1");
            await page.Locator("input[data-testid=field-address]").FillAsync("198.51.100.7");
            await page.Locator("input[data-testid=field-port]").FillAsync("70000");
            await page.GetByTestId("add-custom-property").ClickAsync();
            var property = page.GetByTestId("custom-properties").Locator("input[type=text]");
            await property.First.FillAsync("role");
            await property.Last.FillAsync("edge");
            await page.GetByTestId("save").ClickAsync();
            await Expect(page.GetByText("'70000' is not a TCP port (a whole number from 1 to 65535).")).ToBeVisibleAsync();

            await page.Locator("input[data-testid=field-port]").FillAsync("830");
            await page.GetByTestId("save").ClickAsync();
            await Expect(page.GetByTestId("device-title")).ToHaveTextAsync("lab-r1");
            await Expect(page.GetByTestId("device-custom-properties")).ToContainTextAsync("edge");
            await Expect(page.GetByTestId("device-properties")).ToContainTextAsync("830");

            await page.GotoAsync("/devices");
            await Expect(page.GetByTestId("interactive")).ToBeAttachedAsync();
            await Expect(page.GetByTestId("device-name")).ToHaveTextAsync(["lab-r1"]);
            await page.GetByRole(AriaRole.Button, new() { Name = "Delete lab-r1" }).ClickAsync();
            await page.Locator(".mud-dialog").GetByRole(AriaRole.Button, new() { Name = "Cancel" }).ClickAsync();
            await Expect(page).ToHaveURLAsync($"{app.BaseUrl}/devices");
            await Expect(page.GetByTestId("device-name")).ToHaveTextAsync(["lab-r1"]);
            await page.Locator("[data-testid=device-table] tbody input[type=checkbox]").First.ClickAsync();
            await Expect(page).ToHaveURLAsync($"{app.BaseUrl}/devices");
            await page.GetByTestId("delete-selected").ClickAsync();
            await page.Locator(".mud-dialog").GetByRole(AriaRole.Button, new() { Name = "Delete", Exact = true }).ClickAsync();
            await Expect(page.GetByTestId("no-devices")).ToBeVisibleAsync();
        });
    }
}
