using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using eNMS.Core.Data;
using eNMS.Core.Scheduling;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using static Microsoft.Playwright.Assertions;

namespace eNMS.Tests.EndToEnd;

/// <summary>A change freeze in Chromium on the demo network: the run dialog says it before you start, a change is
/// refused, read-only work still runs, and an admin's override with a reason runs and is in the audit log.</summary>
[Collection(Browser.Collection)]
public sealed class FreezeUiTests
{
    [ChromiumFact]
    public async Task A_freeze_refuses_a_change_from_the_run_dialog_lets_read_only_work_run_and_an_admin_override_runs_and_is_audited()
    {
        await using var app = new AppServer(seedDemo: true);
        app.StartServer();
        var devices = await app.DeviceIdsAsync();
        int nordics;
        await using (var db = await app.Services.GetRequiredService<IDbContextFactory<EnmsDbContext>>().CreateDbContextAsync())
        {
            nordics = await db.Pools.Where(p => p.Name == "Nordics").Select(p => p.Id).SingleAsync();
        }
        var now = TimeProvider.System.GetUtcNow().UtcDateTime;
        var freeze = await app.Services.GetRequiredService<ChangeFreezes>().SaveAsync(new FreezeInput
        {
            Name = "year end",
            Reason = "Year-end trading",
            StartAt = now.AddHours(-1),
            EndAt = now.AddDays(1),
            PoolIds = [nordics],
            Action = FreezeAction.Refuse,
        }, "admin", CancellationToken.None);
        Assert.Empty(freeze.Errors);
        var change = await app.CreateServiceAsync("set location", "cli_config", new JsonObject { ["config"] = "snmp-server location frozen" }, deviceIds: [devices["oslo-core"]]);
        var show = await app.CreateServiceAsync("show version", "cli_commands", new JsonObject { ["commands"] = "show version" }, deviceIds: [devices["oslo-core"]]);

        await using var browser = await BrowserSession.LaunchAsync(60_000);
        var page = await browser.NewPageAsync(app, height: 1200, timeoutMilliseconds: 60_000);
        await Browser.StepsAsync(page, "freeze-override", async () =>
        {
            var csp = await Browser.SignInAtAsync(page, $"/services/{change}/edit");
            await page.GetByTestId("run-from-editor").ClickAsync();
            var dialog = page.Locator(".mud-dialog");
            await Expect(dialog.GetByTestId("run-freeze")).ToContainTextAsync("Change freeze year end (Year-end trading) holds 1 target device(s)");
            await Expect(dialog.GetByTestId("run-freeze")).ToContainTextAsync("will be refused");
            await page.GetByTestId("start-run").ClickAsync();
            await Expect(dialog.GetByTestId("run-problem")).ToContainTextAsync("change freeze 'year end'");
            await Expect(page).ToHaveURLAsync(new Regex($"/services/{change}/edit$"));

            await page.GetByTestId("run-freeze-override").Locator("input").Or(page.Locator("input[data-testid=run-freeze-override]")).First.FillAsync("P1: restore NTP");
            await page.GetByTestId("start-run").ClickAsync();
            await Expect(page).ToHaveURLAsync(new Regex("/runs/\\d+$"));
            await Expect(page.GetByTestId("run-status")).ToHaveTextAsync("Completed");

            // Read-only work is not held: no notice, it runs.
            await page.GotoAsync($"/services/{show}/edit");
            await Expect(page.GetByTestId("interactive")).ToBeAttachedAsync();
            await page.GetByTestId("run-from-editor").ClickAsync();
            await Expect(page.GetByTestId("start-run")).ToBeEnabledAsync();
            await Expect(page.Locator(".mud-dialog").GetByTestId("run-freeze")).ToHaveCountAsync(0);
            await page.GetByTestId("start-run").ClickAsync();
            await Expect(page).ToHaveURLAsync(new Regex("/runs/\\d+$"));
            await Expect(page.GetByTestId("run-status")).ToHaveTextAsync("Completed");

            await page.GotoAsync("/admin/audit");
            await Expect(page.GetByTestId("interactive")).ToBeAttachedAsync();
            var overrides = page.Locator("tr").Filter(new() { Has = page.GetByTestId("audit-action").GetByText("freeze override", new() { Exact = true }) });
            await Expect(overrides).ToHaveCountAsync(1);
            await Expect(overrides).ToContainTextAsync("P1: restore NTP");
            await Expect(overrides.GetByTestId("audit-user")).ToHaveTextAsync("admin");
            Assert.Empty(csp);
        }, app);
    }
}
