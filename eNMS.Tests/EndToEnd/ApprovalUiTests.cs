using System.Text.Json.Nodes;
using eNMS.Core.Automation.Execution;
using eNMS.Core.Automation.Workflows;
using eNMS.Core.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace eNMS.Tests.EndToEnd;

/// <summary>An approval gate in Chromium on the demo network: a dry-run deploy, then the gate; the approver opens the
/// run page someone else started, reads each device's diff and decides per device. Bad case first: nobody decides.</summary>
[Collection(Browser.Collection)]
public sealed class ApprovalUiTests
{
    private static readonly string[] Devices = ["berlin-core", "london-core", "paris-core"];

    [ChromiumFact]
    public async Task Nobody_deciding_in_time_takes_the_default_decision_live_on_the_run_page_and_every_device_follows_it()
    {
        await using var app = new AppServer(seedDemo: true);
        app.StartServer();
        var runId = await StartGatedRunAsync(app, timeoutMinutes: 0.25);
        await using var browser = await BrowserSession.LaunchAsync(60_000);
        var page = await browser.NewPageAsync(app, height: 1400, timeoutMilliseconds: 60_000);
        await Browser.StepsAsync(page, "approval-timeout", async () =>
        {
            await Browser.SignInAtAsync(page, $"/runs/{runId}");
            // Seen while waiting, then decided by the clock without a reload.
            await Expect(page.GetByTestId("approval-decision")).ToHaveTextAsync(["Pending", "Pending", "Pending"]);
            await Expect(page.GetByTestId("approval-decision")).ToHaveTextAsync(["Rejected", "Rejected", "Rejected"]);
            await Expect(page.GetByTestId("approval-by").First).ToContainTextAsync("eNMS (timeout)");
            await Expect(page.GetByTestId("approval-by").First).ToContainTextAsync("Nobody decided within 0.25 minute(s)");
            await Expect(page.GetByTestId("run-status")).ToHaveTextAsync("Completed");
            await Expect(page.GetByTestId("approve-all")).ToHaveCountAsync(0);
            foreach (var device in Devices)
            {
                await Expect(Cell(page, "refused", device)).ToHaveAttributeAsync("data-outcome", "Succeeded");
                await Expect(Cell(page, "applied", device)).ToHaveAttributeAsync("data-outcome", "NotReached");
            }
        }, app);
    }

    [ChromiumFact]
    public async Task The_approver_reads_each_diff_rejects_one_device_approves_the_rest_and_the_run_page_shows_both_paths()
    {
        await using var app = new AppServer(seedDemo: true);
        app.StartServer();
        var runId = await StartGatedRunAsync(app, timeoutMinutes: 30);
        await using var browser = await BrowserSession.LaunchAsync(60_000);
        var page = await browser.NewPageAsync(app, height: 1400, timeoutMilliseconds: 60_000);
        await Browser.StepsAsync(page, "approval-split", async () =>
        {
            var csp = await Browser.SignInAtAsync(page, $"/runs/{runId}");
            await Expect(page.GetByTestId("approval-decision")).ToHaveTextAsync(["Pending", "Pending", "Pending"]);
            foreach (var device in Devices)
            {
                // Each device's own diff, from the dry run before the gate.
                await Expect(Row(page, device).GetByTestId("approval-preview")).ToContainTextAsync($"snmp-server location {device}");
            }
            await page.GetByTestId("approval-comment").Locator("input").Or(page.Locator("input[data-testid=approval-comment]")).First.FillAsync("not london tonight");
            await Row(page, "london-core").GetByTestId("reject-device").ClickAsync();
            await Expect(Row(page, "london-core").GetByTestId("approval-decision")).ToHaveTextAsync("Rejected");
            await Expect(Row(page, "london-core").GetByTestId("approval-by")).ToContainTextAsync("admin");
            await Expect(Row(page, "london-core").GetByTestId("approval-by")).ToContainTextAsync("not london tonight");

            await page.GetByTestId("approve-all").ClickAsync();
            await Expect(page.GetByTestId("run-status")).ToHaveTextAsync("Completed");
            await Expect(Row(page, "paris-core").GetByTestId("approval-decision")).ToHaveTextAsync("Approved");
            await Expect(Row(page, "berlin-core").GetByTestId("approval-decision")).ToHaveTextAsync("Approved");
            await Expect(Cell(page, "refused", "london-core")).ToHaveAttributeAsync("data-outcome", "Succeeded");
            await Expect(Cell(page, "applied", "london-core")).ToHaveAttributeAsync("data-outcome", "NotReached");
            foreach (var device in new[] { "berlin-core", "paris-core" })
            {
                await Expect(Cell(page, "applied", device)).ToHaveAttributeAsync("data-outcome", "Succeeded");
                await Expect(Cell(page, "refused", device)).ToHaveAttributeAsync("data-outcome", "NotReached");
            }
            Assert.Empty(csp);
        }, app);

        // The decisions are in the audit log, with who decided and why.
        await using var db = await app.Services.GetRequiredService<IDbContextFactory<EnmsDbContext>>().CreateDbContextAsync();
        var audited = await db.AuditEntries.AsNoTracking().Where(a => a.TargetKind == "approval").ToListAsync();
        Assert.Contains(audited, a => a.User == "admin" && a.Action == "update" && (a.After ?? "").Contains("not london tonight", StringComparison.Ordinal));
        Assert.Equal(3, audited.Count(a => a.User == "admin" && a.Action == "update"));
    }

    private static ILocator Row(IPage page, string device) =>
        page.GetByTestId("approval-row").Filter(new() { Has = page.GetByTestId("approval-device").GetByText(device, new() { Exact = true }) });

    private static ILocator Cell(IPage page, string node, string device) =>
        page.Locator($"[data-testid=matrix-cell][title^='{node} on {device}:']");

    /// <summary>dry run (diff) → gate → "applied" on success, "refused" on failure; started by another user ("starter")
    /// on three demo routers, so that the admin in the browser may approve (four eyes).</summary>
    private static async Task<int> StartGatedRunAsync(AppServer app, double timeoutMinutes)
    {
        var dry = await app.CreateServiceAsync("dry", "cli_config", new JsonObject { ["config"] = "snmp-server location {{ device.name }}", ["dryRun"] = true });
        var gate = await app.CreateServiceAsync("gate", "approval", new JsonObject { ["timeoutMinutes"] = timeoutMinutes });
        var applied = await app.CreateServiceAsync("applied", "cli_commands", new JsonObject { ["commands"] = "show version" });
        var refused = await app.CreateServiceAsync("refused", "cli_commands", new JsonObject { ["commands"] = "show version" });
        var workflow = await app.CreateServiceAsync("gated change", "workflow", [], new WorkflowGraph
        {
            Start = "dry",
            Nodes =
            [
                new() { Id = "dry", ServiceId = dry, X = 40, Y = 40 }, new() { Id = "gate", ServiceId = gate, X = 300, Y = 40 },
                new() { Id = "applied", ServiceId = applied, X = 560, Y = 0 }, new() { Id = "refused", ServiceId = refused, X = 560, Y = 120 },
            ],
            Edges =
            [
                new() { From = "dry", To = "gate", Kind = EdgeKind.Success }, new() { From = "gate", To = "applied", Kind = EdgeKind.Success },
                new() { From = "gate", To = "refused", Kind = EdgeKind.Failure },
            ],
        });
        await using var db = await app.Services.GetRequiredService<IDbContextFactory<EnmsDbContext>>().CreateDbContextAsync();
        var deviceIds = await db.Devices.Where(d => Devices.Contains(d.Name)).Select(d => d.Id).ToListAsync();
        var launch = await app.Services.GetRequiredService<RunLauncher>().StartAsync(new RunRequest(workflow, deviceIds, User: "starter"), CancellationToken.None);
        Assert.True(launch.Started, string.Join(" ", launch.Problems));
        return launch.RunId;
    }
}
