using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using eNMS.Core.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using static Microsoft.Playwright.Assertions;

namespace eNMS.Tests.EndToEnd;

/// <summary>A staged rollout started from the run dialog in Chromium on the demo network: the first batch's device
/// fails, the rollout stops there and says why; Resume goes on with the next batches.</summary>
[Collection(Browser.Collection)]
public sealed class RolloutUiTests
{
    // In name order, the order batches take them: the first one fails (a command it does not know).
    private static readonly string[] Devices = ["amsterdam-core", "athens-core", "barcelona-core"];

    [ChromiumFact]
    public async Task A_failure_in_the_first_batch_stops_the_rollout_with_its_reason_and_resume_runs_the_rest()
    {
        await using var app = new AppServer(seedDemo: true);
        app.StartServer();
        await using (var db = await app.Services.GetRequiredService<IDbContextFactory<EnmsDbContext>>().CreateDbContextAsync())
        {
            var deviceIds = await db.Devices.Where(d => Devices.Contains(d.Name)).Select(d => d.Id).ToListAsync();
            var service = await app.CreateServiceAsync("staged show", "cli_commands",
                new JsonObject { ["commands"] = "{% if device.name == 'amsterdam-core' %}show nonsense{% else %}show version{% endif %}" }, deviceIds: deviceIds);
            await using var browser = await BrowserSession.LaunchAsync(60_000);
            var page = await browser.NewPageAsync(app, height: 1400, timeoutMilliseconds: 60_000);
            await Browser.StepsAsync(page, "rollout-stop-resume", async () =>
            {
                var csp = await Browser.SignInAtAsync(page, $"/services/{service}/edit");
                await page.GetByTestId("run-from-editor").ClickAsync();
                await page.GetByTestId("rollout-enabled").ClickAsync();
                await page.GetByTestId("rollout-stages").Locator("input").Or(page.Locator("input[data-testid=rollout-stages]")).First.FillAsync("1, 50%, 100%");
                await page.GetByTestId("rollout-failure-limit").Locator("input").Or(page.Locator("input[data-testid=rollout-failure-limit]")).First.FillAsync("0");
                await page.GetByTestId("start-run").ClickAsync();
                await Expect(page).ToHaveURLAsync(new Regex("/runs/\\d+$"));

                await Expect(page.GetByTestId("run-status")).ToHaveTextAsync("Failed");
                await Expect(page.GetByTestId("rollout-stopped")).ToContainTextAsync("threshold reached: 1 of 1 failed in batch 1 (limit 0)");
                await Expect(page.GetByTestId("rollout-devices")).ToHaveTextAsync(["amsterdam-core", "athens-core", "barcelona-core"]);
                await Expect(page.GetByTestId("rollout-outcome")).ToHaveTextAsync(["failed", "not started (rollout stopped)", "not started (rollout stopped)"]);
                await Expect(page.GetByTestId("run-progress")).ToContainTextAsync("1 of 3 device(s) done");
                var stopped = int.Parse(Regex.Match(page.Url, "/runs/(\\d+)$").Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);

                await page.GetByTestId("resume-run").ClickAsync();
                await RevertUiTests.NewRunPageAsync(page, stopped);
                await Expect(page.GetByTestId("run-status")).ToHaveTextAsync("Completed");
                await Expect(page.GetByTestId("rollout-devices")).ToHaveTextAsync(["athens-core", "barcelona-core"]);
                await Expect(page.GetByTestId("rollout-outcome")).ToHaveTextAsync(["succeeded", "succeeded"]);
                Assert.Empty(csp);
            }, app);
        }
    }
}
