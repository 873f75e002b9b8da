using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using eNMS.Core.Automation.Workflows;
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

    // In name order, the order a rollout's batches take them: batch 1 is amsterdam-core, batch 2 the two others.
    private static readonly string[] Staged = ["amsterdam-core", "athens-core", "barcelona-core"];

    [ChromiumFact]
    public async Task A_freeze_starting_mid_run_refuses_or_defers_the_later_devices_per_its_policy_and_the_run_page_says_why()
    {
        await using var app = new AppServer(seedDemo: true);
        app.StartServer();
        var devices = await app.DeviceIdsAsync();
        var freezes = app.Services.GetRequiredService<ChangeFreezes>();
        var change = await app.CreateServiceAsync("set contact", "cli_config", new JsonObject { ["config"] = "snmp-server contact noc-{{ device.name }}" });
        var check = await app.CreateServiceAsync("check", "cli_commands", new JsonObject { ["commands"] = "show version" });
        var workflow = await app.CreateServiceAsync("staged change", "workflow", [], new WorkflowGraph
        {
            Start = "change",
            Nodes = [new() { Id = "change", ServiceId = change, X = 40, Y = 40 }, new() { Id = "check", ServiceId = check, X = 300, Y = 40 }],
            Edges = [new() { From = "change", To = "check", Kind = EdgeKind.Success }],
        }, deviceIds: [.. Staged.Select(d => devices[d])]);

        await using var browser = await BrowserSession.LaunchAsync(60_000);
        var page = await browser.NewPageAsync(app, height: 1600, timeoutMilliseconds: 60_000);
        await Browser.StepsAsync(page, "freeze-mid-run", async () =>
        {
            var csp = await Browser.SignInAtAsync(page, $"/services/{workflow}/edit");

            // A refusing freeze begins while batch 1's device waits for "continue with the next batch?".
            await StartStagedAsync(page);
            var refusing = await FreezeNowAsync(freezes, "sudden freeze", FreezeAction.Refuse);
            await page.GetByTestId("approve-all").ClickAsync();
            await Expect(page.GetByTestId("run-status")).ToHaveTextAsync("Failed");
            // Batch 1 (amsterdam-core) changed before the freeze; batch 2 (the two others) refused.
            await Expect(page.GetByTestId("rollout-outcome")).ToHaveTextAsync(["succeeded", "failed"]);
            await Expect(page.GetByTestId("run-log")).ToContainTextAsync("set contact [change] · athens-core: failed: Refused: a change freeze began during this run");
            foreach (var device in Staged[1..])
            {
                var row = page.GetByTestId("result-row").Filter(new() { Has = page.GetByTestId("result-device").GetByText(device, new() { Exact = true }) })
                    .Filter(new() { HasText = "Refused" });
                await Expect(row.First).ToContainTextAsync("Refused: a change freeze began during this run — change freeze 'sudden freeze' (Incident) holds");
            }
            Assert.True(await freezes.DeleteAsync(refusing, CancellationToken.None));

            // A deferring one: the later devices wait, the run page's log says why, and they go on once it is deleted.
            await page.GotoAsync($"/services/{workflow}/edit");
            await Expect(page.GetByTestId("interactive")).ToBeAttachedAsync();
            await StartStagedAsync(page);
            var deferring = await FreezeNowAsync(freezes, "deferring freeze", FreezeAction.Defer);
            await page.GetByTestId("approve-all").ClickAsync();
            await Expect(page.GetByTestId("run-log")).ToContainTextAsync("Deferred: a change freeze began during this run — change freeze 'deferring freeze' (Incident) holds");
            await Expect(page.GetByTestId("run-log")).ToContainTextAsync("set contact waits until then to change athens-core");
            await Expect(page.GetByTestId("run-status")).ToHaveTextAsync("Running");
            Assert.True(await freezes.DeleteAsync(deferring, CancellationToken.None));
            await Expect(page.GetByTestId("run-status")).ToHaveTextAsync("Completed");
            await Expect(page.GetByTestId("rollout-outcome")).ToHaveTextAsync(["succeeded", "succeeded"]);
            await Expect(page.GetByTestId("run-log")).ToContainTextAsync("set contact [change] · barcelona-core: succeeded, changed");
            Assert.Empty(csp);
        }, app);
    }

    /// <summary>From the service editor: a rollout of 1 device then the rest, asking an approver in between; returns once
    /// the first batch is done and the approval is asked on the run page.</summary>
    private static async Task StartStagedAsync(Microsoft.Playwright.IPage page)
    {
        await page.GetByTestId("run-from-editor").ClickAsync();
        await page.GetByTestId("rollout-enabled").ClickAsync();
        await page.GetByTestId("rollout-stages").Locator("input").Or(page.Locator("input[data-testid=rollout-stages]")).First.FillAsync("1, 100%");
        await page.GetByTestId("rollout-approval").ClickAsync();
        await page.GetByTestId("start-run").ClickAsync();
        await Expect(page).ToHaveURLAsync(new Regex("/runs/\\d+$"));
        await Expect(page.GetByTestId("approve-all")).ToBeVisibleAsync();
        await Expect(page.GetByTestId("rollout-outcome").First).ToHaveTextAsync("succeeded");
    }

    /// <summary>A freeze on every device, in force from now for a day.</summary>
    private static async Task<int> FreezeNowAsync(ChangeFreezes freezes, string name, FreezeAction action)
    {
        var now = TimeProvider.System.GetUtcNow().UtcDateTime;
        var saved = await freezes.SaveAsync(new FreezeInput { Name = name, Reason = "Incident", StartAt = now.AddMinutes(-1), EndAt = now.AddDays(1), Action = action },
            "admin", CancellationToken.None);
        Assert.Empty(saved.Errors);
        return saved.Id;
    }
}
