using eNMS.Core.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using static Microsoft.Playwright.Assertions;

namespace eNMS.Tests.EndToEnd;

/// <summary>The web terminal on a demo (simulated) device in Chromium: no network, no lab, the simulator answers.</summary>
[Collection(Browser.Collection)]
public sealed class DemoTerminalTests
{
    [ChromiumFact]
    public async Task The_terminal_on_a_demo_device_answers_show_running_config_with_no_network()
    {
        await using var app = new AppServer(seedDemo: true);
        app.StartServer();
        int deviceId;
        await using (var db = await app.Services.GetRequiredService<IDbContextFactory<EnmsDbContext>>().CreateDbContextAsync())
        {
            deviceId = await db.Devices.Where(d => d.Name == "paris-core").Select(d => d.Id).SingleAsync();
        }
        await using var browser = await BrowserSession.LaunchAsync(30_000);
        var page = await browser.NewPageAsync(app, timeoutMilliseconds: 30_000);

        await Browser.StepsAsync(page, "demo-terminal", async () =>
        {
            var csp = await Browser.SignInAtAsync(page, $"/devices/{deviceId}/terminal");
            await Expect(page.GetByTestId("terminal-status")).ToHaveTextAsync("connected");
            await Expect(page.GetByTestId("terminal-error")).Not.ToBeAttachedAsync();
            var screen = page.GetByTestId("terminal").Locator(".xterm-rows");
            await Expect(screen).ToContainTextAsync("paris-core#");
            await page.GetByTestId("terminal").Locator(".xterm-helper-textarea").FocusAsync();
            await page.Keyboard.TypeAsync("show running-config");
            await page.Keyboard.PressAsync("Enter");
            // The screen keeps the end of the output: the configuration's last section and the prompt after it.
            await Expect(screen).ToContainTextAsync("transport input ssh");
            await Expect(screen).ToContainTextAsync("end");
            Assert.Empty(csp);
        });
    }
}
