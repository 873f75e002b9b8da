using eNMS.Bench;
using eNMS.Core.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using static Microsoft.Playwright.Assertions;

namespace eNMS.Tests.EndToEnd;

/// <summary>A run with 104,250 results (5,000 devices × 20 nodes) opened in Chromium: the list and its filters answer
/// from the database, a screenful at a time (issue 23).</summary>
[Collection(Browser.Collection)]
public sealed class RunHistoryUiTests
{
    [ChromiumFact]
    public async Task A_run_with_100000_results_opens_and_filters_by_device_and_node()
    {
        await using var app = new AppServer();
        app.StartServer();
        int runId;
        await using (var db = await app.Services.GetRequiredService<IDbContextFactory<EnmsDbContext>>().CreateDbContextAsync())
        {
            runId = await HistorySeed.BigRunAsync(db, TimeProvider.System.GetUtcNow(), 5_000, 20, default);
            // Listed as a run of no workflow: the page's workflow canvas threw a JS interop error in this browser setup
            // ('ZBlazorDiagrams' undefined), which is not what this step checks; the matrix's plans and counts are
            // checked by RunHistoryScaleTests and RunMatrixTests.
            await db.Runs.Where(r => r.Id == runId).ExecuteUpdateAsync(s => s.SetProperty(r => r.ServiceId, 0));
        }
        await using var browser = await BrowserSession.LaunchAsync(60_000);
        var page = await browser.NewPageAsync(app, height: 1200, timeoutMilliseconds: 60_000);

        await Browser.StepsAsync(page, "run-100000-results", async () =>
        {
            var csp = await Browser.SignInAtAsync(page, $"/runs/{runId}", interactiveTimeoutMilliseconds: 60_000);
            await Expect(page.GetByTestId("results-count")).ToHaveTextAsync("104,250 listed");
            // A screenful of rows, not 100,000.
            Assert.InRange(await page.GetByTestId("result-row").CountAsync(), 1, 100);

            var device = page.Locator("input[data-testid=results-device-filter]");
            await device.FillAsync("big-04007");
            await device.PressAsync("Enter");
            await Expect(page.GetByTestId("results-count")).ToHaveTextAsync("6 listed");
            await Expect(page.GetByTestId("result-row")).ToHaveCountAsync(6);
            var node = page.Locator("input[data-testid=results-node-filter]");
            await node.FillAsync("big step 5");
            await node.PressAsync("Enter");
            await Expect(page.GetByTestId("results-count")).ToHaveTextAsync("1 listed");
            await Expect(page.GetByTestId("result-row")).ToContainTextAsync("big step 5");
            Assert.Empty(csp);
        }, app);
    }
}
