using System.Text.Json;
using System.Text.RegularExpressions;
using eNMS.Tests.TestSupport;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace eNMS.Tests.EndToEnd;

/// <summary>The first hour as one path, in Chromium (issue 22): the app started as README's first command starts it
/// (the built eNMS.Web in Development, SQLite in an empty data directory, the demo seeded, no password configured), the
/// admin password read from the console where the first start prints it once, then sign in, change the password, open a
/// starter workflow, run it on devices lassoed on the map, open the terminal on one of them and see the change in
/// <c>show running-config</c>, and sign in again with the new password only. No network: the demo devices are
/// simulated.</summary>
[Collection(Browser.Collection)]
public sealed class NewcomerPathTests
{
    private const string NewPassword = "a-new-password-for-day-one";
    private const string ChangeWorkflow = "Change: SNMP location (preview, apply, validate, roll back)";
    private const string ViewHost = "[data-testid=network-view]";

    [ChromiumFact]
    public async Task A_newcomer_changes_the_password_runs_a_starter_workflow_on_a_lasso_and_reads_the_change_in_the_terminal()
    {
        var data = Directory.CreateTempSubdirectory("enms-newcomer-").FullName;
        try
        {
            await using var app = new AppProcess("newcomer", connectionString: "", data, adminPassword: "", provider: "Sqlite",
                settings: new Dictionary<string, string> { ["Enms__SeedDemo"] = "true", ["ENMS_ADMIN_PASSWORD"] = "" });
            await app.WaitReadyAsync(TimeSpan.FromMinutes(2));
            try
            {
                await WalkAsync(app, await FirstStartPasswordAsync(app));
            }
            catch (Exception e) when (e is InvalidOperationException or PlaywrightException)
            {
                throw new InvalidOperationException($"{e.Message}\nThe app's last words:\n{string.Join('\n', app.Output.Split('\n').TakeLast(60))}", e);
            }
        }
        finally
        {
            Directory.Delete(data, recursive: true);
        }
    }

    /// <summary>The password the first start printed on the console (see AccountSeeder), once the seed is done.</summary>
    private static async Task<string> FirstStartPasswordAsync(AppProcess app)
    {
        var banner = new Regex(@"created user 'admin' with password\s+(\S+)");
        for (var waited = 0; waited < 100 && !banner.IsMatch(app.Output); waited++)
        {
            await Task.Delay(100);
        }
        var match = banner.Match(app.Output);
        Assert.True(match.Success, $"the first start printed no admin password:\n{app.Output}");
        return match.Groups[1].Value;
    }

    private static async Task WalkAsync(AppProcess app, string firstPassword)
    {
        await using var browser = await BrowserSession.LaunchAsync(30_000);
        var page = await browser.NewPageAsync(app.BaseUrl, timeoutMilliseconds: 30_000);
        await Browser.StepsAsync(page, "newcomer", async () =>
        {
            // The password printed once at first start must be replaced before anything else: the sign-in lands on the
            // password page, and every page leads back to it until then.
            var csp = await Browser.SignInAtAsync(page, "/", password: firstPassword, mustChangePassword: true);
            await Expect(page.GetByTestId("password-forced")).ToBeVisibleAsync();
            await page.GotoAsync("/devices");
            await Expect(page).ToHaveURLAsync(new Regex("/account/password$"));
            await page.GetByTestId("password-current").FillAsync(firstPassword);
            await page.GetByTestId("password-new").FillAsync(NewPassword);
            await page.GetByTestId("password-confirm").FillAsync(NewPassword);
            await page.GetByTestId("password-submit").ClickAsync();
            await Expect(page.GetByTestId("password-changed")).ToBeVisibleAsync();
            await page.GetByTestId("password-back").ClickAsync();
            await Expect(page.GetByTestId("interactive")).ToBeAttachedAsync();
            var devices = await DevicesAsync(page);

            // A starter workflow, read in the designer before it is run.
            await page.GotoAsync("/services");
            // Clicked before the circuit is up, the prerendered link and the starting circuit raced (seen once: back on
            // /services after the designer's URL showed).
            await Expect(page.GetByTestId("interactive")).ToBeAttachedAsync();
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
            await Expect(page.GetByTestId("interactive")).ToBeAttachedAsync();
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


        // Only the new password opens the door now.
        var again = await browser.NewPageAsync(app.BaseUrl, timeoutMilliseconds: 30_000);
        await again.GotoAsync("/login");
        await again.GetByTestId("login-user").FillAsync("admin");
        await again.GetByTestId("login-password").FillAsync(firstPassword);
        await again.GetByTestId("login-submit").ClickAsync();
        await Expect(again).ToHaveURLAsync(new Regex("/login"));
        await Browser.SignInAtAsync(again, "/devices", password: NewPassword);
    }

    /// <summary>The demo devices by name, read through the API with the signed-in browser's cookie.</summary>
    private static async Task<Dictionary<string, int>> DevicesAsync(IPage page)
    {
        var response = await page.APIRequest.GetAsync("/api/devices?pageSize=500");
        Assert.True(response.Ok, $"GET /api/devices: {response.Status}");
        var items = (await response.JsonAsync())!.Value.GetProperty("items");
        return items.EnumerateArray().ToDictionary(d => d.GetProperty("name").GetString()!, d => d.GetProperty("id").GetInt32());
    }

    private static async Task<(float X, float Y)> ScreenPositionAsync(IPage page, int deviceId)
    {
        var position = await page.Locator(ViewHost).EvaluateAsync<JsonElement>("(host, id) => host.enmsView.screenPosition(id)", deviceId);
        Assert.True(position.ValueKind == JsonValueKind.Object, $"device {deviceId} is not drawn");
        return (position.GetProperty("x").GetSingle(), position.GetProperty("y").GetSingle());
    }
}
