using System.Text.Json;
using System.Text.RegularExpressions;
using eNMS.Core.Data;
using eNMS.Core.Security;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace eNMS.Tests.EndToEnd;

/// <summary>The first hour as one path, in Chromium, on the demo install (issue 22): sign in, change the password, open
/// a starter workflow, run it on devices lassoed on the map, then open the terminal on one of them and see the change
/// in <c>show running-config</c>. No network: the demo devices are simulated.</summary>
[Collection(Browser.Collection)]
public sealed class NewcomerPathTests
{
    private const string NewPassword = "a-new-password-for-day-one";
    private const string ChangeWorkflow = "Change: SNMP location (preview, apply, validate, roll back)";
    private const string ViewHost = "[data-testid=network-view]";

    [ChromiumFact]
    public async Task A_newcomer_changes_the_password_runs_a_starter_workflow_on_a_lasso_and_reads_the_change_in_the_terminal()
    {
        await using var app = new AppServer(seedDemo: true);
        app.StartServer();
        Dictionary<string, int> devices;
        await using (var db = await app.Services.GetRequiredService<IDbContextFactory<EnmsDbContext>>().CreateDbContextAsync())
        {
            devices = await db.Devices.ToDictionaryAsync(d => d.Name, d => d.Id);
        }
        await using var browser = await BrowserSession.LaunchAsync(30_000);
        var page = await browser.NewPageAsync(app, timeoutMilliseconds: 30_000);

        await Browser.StepsAsync(page, "newcomer", async () =>
        {
            var csp = await Browser.SignInAtAsync(page, "/");

            // The password printed once at first start is replaced at once.
            await page.GetByTestId("change-password").ClickAsync();
            await Expect(page).ToHaveURLAsync(new Regex("/account/password$"));
            await page.GetByTestId("password-current").FillAsync(AppServer.AdminPassword);
            await page.GetByTestId("password-new").FillAsync(NewPassword);
            await page.GetByTestId("password-confirm").FillAsync(NewPassword);
            await page.GetByTestId("password-submit").ClickAsync();
            await Expect(page.GetByTestId("password-changed")).ToBeVisibleAsync();
            await page.GetByTestId("password-back").ClickAsync();
            await Expect(page.GetByTestId("interactive")).ToBeAttachedAsync();

            // A starter workflow, read in the designer before it is run.
            await page.GotoAsync("/services");
            await page.GetByTestId("service-table").Locator("tr", new() { HasText = ChangeWorkflow }).GetByTestId("open-designer").ClickAsync();
            await Expect(page).ToHaveURLAsync(new Regex("/workflows/\\d+/designer$"));
            await Expect(page.Locator("[data-node='Preview SNMP location (dry run)']")).ToBeVisibleAsync();
            await Expect(page.Locator("[data-node='Roll back the last change']")).ToBeAttachedAsync();

            // Paris, Brussels and Amsterdam, lassoed on the map (no other demo device lies between them).
            await page.GotoAsync("/map");
            await Expect(page.Locator(ViewHost)).ToHaveAttributeAsync("data-ready", "true");
            var corners = new List<(float X, float Y)>();
            foreach (var name in new[] { "paris-core", "brussels-core", "amsterdam-core" })
            {
                corners.Add(await ScreenPositionAsync(page, devices[name]));
            }
            var (left, top) = (corners.Min(c => c.X) - 15, corners.Min(c => c.Y) - 15);
            var (right, bottom) = (corners.Max(c => c.X) + 15, corners.Max(c => c.Y) + 15);
            await page.GetByTestId("tool-lasso").ClickAsync();
            await Expect(page.Locator(ViewHost)).ToHaveAttributeAsync("data-tool", "lasso");
            await page.Mouse.MoveAsync(left, top);
            await page.Mouse.DownAsync();
            foreach (var (x, y) in new[] { (right, top), (right, bottom), (left, bottom), (left, top + 5) })
            {
                await page.Mouse.MoveAsync(x, y, new() { Steps = 4 });
            }
            await page.Mouse.UpAsync();
            await Expect(page.GetByTestId("selected-device")).ToHaveTextAsync(["amsterdam-core", "brussels-core", "paris-core"]);

            await page.GetByTestId("selection-service").ClickAsync();
            await page.Locator(".mud-popover-open").GetByText($"{ChangeWorkflow} (workflow)").ClickAsync();
            await page.GetByTestId("run-selection").ClickAsync();
            await page.GetByTestId("start-run").ClickAsync();
            await Expect(page).ToHaveURLAsync(new Regex("/runs/\\d+$"));
            await Expect(page.GetByTestId("run-status")).ToHaveTextAsync("Completed", new() { Timeout = 120_000 });
            await Expect(page.GetByTestId("run-succeeded")).ToHaveTextAsync("3 succeeded");
            await Expect(page.Locator("[data-node='Check SNMP location']")).ToHaveAttributeAsync("data-state", "success");
            // The whole graph is framed on the run's page: the failure branch too, although it sits in the last column.
            await Expect(page.Locator("[data-node='Roll back the last change']")).ToBeInViewportAsync(new() { Ratio = 1 });
            await Expect(page.GetByTestId("run-log")).ToContainTextAsync("Set SNMP location [apply] · paris-core: succeeded, changed");

            // The terminal on one of them shows the change, answered by the simulator.
            await page.GotoAsync($"/devices/{devices["paris-core"]}");
            await page.GetByTestId("terminal").ClickAsync();
            await Expect(page.GetByTestId("terminal-status")).ToHaveTextAsync("connected");
            var screen = page.GetByTestId("terminal").Locator(".xterm-rows");
            await Expect(screen).ToContainTextAsync("paris-core#");
            await page.GetByTestId("terminal").Locator(".xterm-helper-textarea").FocusAsync();
            await page.Keyboard.TypeAsync("show running-config");
            await page.Keyboard.PressAsync("Enter");
            await Expect(screen).ToContainTextAsync("snmp-server location Paris");
            Assert.Empty(csp);
        });

        await using var scope = app.Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<EnmsUser>>();
        var admin = await users.FindByNameAsync(AccountSeeder.AdminUserName);
        Assert.True(await users.CheckPasswordAsync(admin!, NewPassword));
        Assert.False(await users.CheckPasswordAsync(admin!, AppServer.AdminPassword));
    }

    private static async Task<(float X, float Y)> ScreenPositionAsync(IPage page, int deviceId)
    {
        var position = await page.Locator(ViewHost).EvaluateAsync<JsonElement>("(host, id) => host.enmsView.screenPosition(id)", deviceId);
        Assert.True(position.ValueKind == JsonValueKind.Object, $"device {deviceId} is not drawn");
        return (position.GetProperty("x").GetSingle(), position.GetProperty("y").GetSingle());
    }
}
