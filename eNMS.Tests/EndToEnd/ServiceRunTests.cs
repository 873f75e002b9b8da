using eNMS.Tests.TestSupport.Lab;
using static Microsoft.Playwright.Assertions;

namespace eNMS.Tests.EndToEnd;

/// <summary>The engineer's daily path in Chromium: create a CLI service in the UI, run it on three lab routers (real
/// FRR over SSH), and watch the results arrive on the run page without reloading it.</summary>
[Collection(LabGroup.Name)]
public sealed class ServiceRunTests(LabFixture lab)
{
    [ChromiumFact]
    public async Task A_service_created_in_the_ui_runs_on_three_lab_routers_and_its_results_arrive_live()
    {
        lab.RequireLab();
        await using var app = new AppServer();
        app.StartServer();
        var routers = Enumerable.Range(1, 3).Select(LabFixture.Router).ToArray();
        await app.AddLabDevicesAsync("frr", routers);
        await using var browser = await BrowserSession.LaunchAsync(30_000);
        var page = await browser.NewPageAsync(app, height: 1000, timeoutMilliseconds: 30_000);

        await Browser.StepsAsync(page, "service-run-live", async () =>
        {
            var csp = await Browser.SignInAtAsync(page, "/services");
            await page.GetByTestId("new-service").ClickAsync();
            await page.GetByTestId("new-cli_commands").ClickAsync();
            await page.GetByTestId("service-name-field").Locator("input").Or(page.Locator("input[data-testid=service-name-field]")).First.FillAsync("ospf state");
            await page.GetByTestId("param-commands").Locator("textarea").First.FillAsync("show version\nshow ip ospf neighbor");
            await page.GetByLabel("Devices in parallel").FillAsync("1");
            await page.GetByTestId("save-service").ClickAsync();
            await Expect(page.GetByTestId("run-from-editor")).ToBeVisibleAsync();

            await page.GetByTestId("run-from-editor").ClickAsync();
            foreach (var router in routers)
            {
                var search = page.GetByTestId("run-device-search").Locator("input").Or(page.Locator("input[data-testid=run-device-search]")).First;
                var option = page.Locator(".mud-popover-open .mud-list-item").GetByText(router.Name, new() { Exact = true });
                // The autocomplete searches after a debounce (and under load may miss keystrokes): type afresh until it offers the device.
                for (var attempt = 0; attempt < 5 && !await option.IsVisibleAsync(); attempt++)
                {
                    await search.FillAsync("");
                    await search.PressSequentiallyAsync(router.Name, new() { Delay = 50 });
                    await page.WaitForTimeoutAsync(1000);
                }
                await option.ClickAsync();
                // A pick becomes a chip and leaves the field empty for the next device.
                await Expect(search).ToHaveValueAsync("");
            }
            await Expect(page.Locator(".mud-dialog [data-testid=run-device-chip]")).ToHaveTextAsync(["r1", "r2", "r3"]);
            await page.GetByTestId("start-run").ClickAsync();
            await Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/runs/\\d+$"));
            // A marker on the document: if it survives to the end, the results came in live, not through a reload.
            await page.EvaluateAsync("() => window.enmsNoReload = true");

            await Expect(page.GetByTestId("run-status")).ToHaveTextAsync("Completed", new() { Timeout = 90_000 });
            // One outcome per device.
            var outcomes = page.GetByTestId("result-outcome");
            await Expect(outcomes).ToHaveCountAsync(3);
            foreach (var router in routers)
            {
                await Expect(page.GetByTestId("result-table")).ToContainTextAsync(router.Name);
            }
            await Expect(page.GetByTestId("run-log")).ToContainTextAsync("Run of ospf state on 3 device(s) started by admin");
            Assert.True(await page.EvaluateAsync<bool>("() => window.enmsNoReload === true"), "the run page was reloaded");

            // One result opened: the routers' own output, from real FRR.
            await outcomes.First.ClickAsync();
            await Expect(page.Locator(".mud-dialog")).ToContainTextAsync("FRRouting");
            Assert.Empty(csp);
        });
    }
}
