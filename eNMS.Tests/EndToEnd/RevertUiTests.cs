using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using eNMS.Core.Automation;
using eNMS.Core.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace eNMS.Tests.EndToEnd;

/// <summary>Reverting a config run from its run page in Chromium on the demo network. Bad case first: a later run
/// changed a device again, the revert is refused saying so, and "Revert over later changes" forces it.</summary>
[Collection(Browser.Collection)]
public sealed class RevertUiTests
{
    [ChromiumFact]
    public async Task A_device_changed_again_by_a_later_run_refuses_the_revert_and_reverting_over_later_changes_forces_it()
    {
        await using var app = new AppServer(seedDemo: true);
        app.StartServer();
        var devices = await app.DeviceIdsAsync();
        var backup = await app.CreateServiceAsync("backup", "config_backup", []);
        var before = await RunningConfigAsync(app, backup, devices["madrid-core"]);
        var first = await app.RunToEndAsync(await ChangeAsync(app, "contact", "snmp-server contact noc@example.net"), [devices["madrid-core"]]);
        var later = await app.RunToEndAsync(await ChangeAsync(app, "location", "snmp-server location Madrid DC2"), [devices["madrid-core"]]);
        Assert.Equal((RunStatus.Completed, RunStatus.Completed), (first.Status, later.Status));

        await using var browser = await BrowserSession.LaunchAsync(60_000);
        var page = await browser.NewPageAsync(app, height: 1200, timeoutMilliseconds: 60_000);
        await Browser.StepsAsync(page, "revert-forced", async () =>
        {
            var csp = await Browser.SignInAtAsync(page, $"/runs/{first.Id}");
            await page.GetByTestId("revert-run").ClickAsync();
            await page.GetByRole(AriaRole.Button, new() { Name = "Revert", Exact = true }).ClickAsync();
            // The revert is a run of its own: it fails on the device, saying why and what to do; nothing is applied.
            await NewRunPageAsync(page, first.Id);
            await Expect(page.GetByTestId("run-status")).ToHaveTextAsync("Failed");
            await Expect(page.GetByTestId("result-table")).ToContainTextAsync(
                $"madrid-core was changed again by run #{later.Id} after run #{first.Id}: reverting would undo that change too. Revert run #{later.Id} first, or force the revert.");
            Assert.Contains("Madrid DC2", await RunningConfigAsync(app, backup, devices["madrid-core"]), StringComparison.Ordinal);

            await page.GotoAsync($"/runs/{first.Id}");
            await Expect(page.GetByTestId("interactive")).ToBeAttachedAsync();
            await page.GetByTestId("revert-run").ClickAsync();
            await page.GetByRole(AriaRole.Button, new() { Name = "Revert over later changes" }).ClickAsync();
            await NewRunPageAsync(page, first.Id);
            await Expect(page.GetByTestId("run-status")).ToHaveTextAsync("Completed");
            await Expect(page.GetByTestId("run-progress")).ToContainTextAsync("1 of 1 device(s) done");
            Assert.Empty(csp);
        }, app);
        // Back as before the first run: the later change is undone too (that is what forcing means).
        var after = await RunningConfigAsync(app, backup, devices["madrid-core"]);
        Assert.DoesNotContain("noc@example.net", after, StringComparison.Ordinal);
        Assert.DoesNotContain("Madrid DC2", after, StringComparison.Ordinal);
        Assert.Equal(Lines(before), Lines(after));
    }

    [ChromiumFact]
    public async Task Preview_revert_shows_each_devices_diff_and_revert_puts_the_devices_back()
    {
        await using var app = new AppServer(seedDemo: true);
        app.StartServer();
        var devices = await app.DeviceIdsAsync();
        var backup = await app.CreateServiceAsync("backup", "config_backup", []);
        var before = await RunningConfigAsync(app, backup, devices["paris-core"]);
        var change = await app.RunToEndAsync(await ChangeAsync(app, "contact", "snmp-server contact noc@example.net"), [devices["paris-core"], devices["london-core"]]);
        Assert.Equal(RunStatus.Completed, change.Status);
        Assert.Contains("noc@example.net", await RunningConfigAsync(app, backup, devices["paris-core"]), StringComparison.Ordinal);

        await using var browser = await BrowserSession.LaunchAsync(60_000);
        var page = await browser.NewPageAsync(app, height: 1200, timeoutMilliseconds: 60_000);
        await Browser.StepsAsync(page, "revert-preview", async () =>
        {
            var csp = await Browser.SignInAtAsync(page, $"/runs/{change.Id}");
            await Expect(page.GetByTestId("revert-preview")).ToContainTextAsync("Preview revert (2)");
            await page.GetByTestId("revert-preview").ClickAsync();
            await NewRunPageAsync(page, change.Id);
            await Expect(page.GetByTestId("run-status")).ToHaveTextAsync("Completed");
            await Expect(page.GetByTestId("result-outcome")).ToHaveCountAsync(2);
            // Each device's diff back to its snapshot (rows in the order the results were recorded).
            foreach (var device in new[] { "london-core", "paris-core" })
            {
                await page.GetByTestId("result-row").Filter(new() { HasText = device }).GetByTestId("result-outcome").ClickAsync();
                await Expect(page.Locator(".mud-dialog")).ToContainTextAsync(device);
                await page.Locator(".mud-dialog").GetByRole(AriaRole.Tab, new() { Name = "Diff" }).ClickAsync();
                await Expect(page.Locator(".mud-dialog")).ToContainTextAsync("- snmp-server contact noc@example.net");
                await page.Locator(".mud-dialog .mud-button-close").ClickAsync();
                await Expect(page.Locator(".mud-dialog")).ToHaveCountAsync(0);
            }

            await page.GotoAsync($"/runs/{change.Id}");
            await Expect(page.GetByTestId("interactive")).ToBeAttachedAsync();
            await page.GetByTestId("revert-run").ClickAsync();
            await page.GetByRole(AriaRole.Button, new() { Name = "Revert", Exact = true }).ClickAsync();
            await NewRunPageAsync(page, change.Id);
            await Expect(page.GetByTestId("run-status")).ToHaveTextAsync("Completed");
            await Expect(page.GetByTestId("run-progress")).ToContainTextAsync("2 of 2 device(s) done");
            Assert.Empty(csp);
        }, app);
        var reverted = await RunningConfigAsync(app, backup, devices["paris-core"]);
        Assert.True(Lines(before).SequenceEqual(Lines(reverted)), $"paris-core is not as before:\n{reverted}\nThe runs did:\n{await RunsSaidAsync(app)}");
        Assert.DoesNotContain("noc@example.net", await RunningConfigAsync(app, backup, devices["london-core"]), StringComparison.Ordinal);
        // Nothing changed by the preview, all by the revert: each is audited on the run.
        await using var db = await app.Services.GetRequiredService<IDbContextFactory<EnmsDbContext>>().CreateDbContextAsync();
        var audited = await db.AuditEntries.AsNoTracking().Where(e => e.TargetId == change.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)
            && e.Action.StartsWith("revert")).Select(e => e.Action).ToListAsync();
        Assert.Equal(["revert preview", "revert"], audited);
    }

    /// <summary>Waits for the run page of the run just started from run <paramref name="from"/>'s page: its URL, then its
    /// own heading (the page keeps showing the earlier run until the new one is loaded).</summary>
    internal static async Task NewRunPageAsync(IPage page, int from)
    {
        await Expect(page).Not.ToHaveURLAsync(new Regex($"/runs/{from}$"));
        var id = Regex.Match(page.Url, "/runs/(\\d+)$").Groups[1].Value;
        await Expect(page.GetByRole(AriaRole.Heading, new() { Level = 5 })).ToContainTextAsync($"Run #{id} ·");
    }

    private static Task<int> ChangeAsync(AppServer app, string name, string config) =>
        app.CreateServiceAsync(name, "cli_config", new JsonObject { ["config"] = config });

    private static async Task<string> RunningConfigAsync(AppServer app, int backup, int deviceId)
    {
        var run = await app.RunToEndAsync(backup, [deviceId]);
        await using var db = await app.Services.GetRequiredService<IDbContextFactory<EnmsDbContext>>().CreateDbContextAsync();
        return (await db.RunResults.AsNoTracking().SingleAsync(r => r.RunId == run.Id && r.DeviceId == deviceId)).Output;
    }

    /// <summary>Every result so far, for a failure to say what each run did.</summary>
    private static async Task<string> RunsSaidAsync(AppServer app)
    {
        await using var db = await app.Services.GetRequiredService<IDbContextFactory<EnmsDbContext>>().CreateDbContextAsync();
        var results = await db.RunResults.AsNoTracking().OrderBy(r => r.Id).ToListAsync();
        return string.Join('\n', results.Select(r => $"run {r.RunId} {r.ServiceName} {r.DeviceName}: {(r.Success ? "ok" : "failed")} changed={r.Changed} {r.Error} diff:{r.Diff.Length} output:{r.Output[..Math.Min(200, r.Output.Length)]}"));
    }

    private static string[] Lines(string config) =>
        [.. config.Split('\n').Select(l => l.TrimEnd()).Where(l => l.Length > 0 && !l.StartsWith('!'))];
}
