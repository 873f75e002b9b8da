using eNMS.Core.Data;
using eNMS.Core.Security;
using eNMS.Tests.TestSupport.Lab;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using static Microsoft.Playwright.Assertions;

namespace eNMS.Tests.EndToEnd;

/// <summary>The web SSH terminal in Chromium against a lab FRR router: the stored credential logs in on the server,
/// keystrokes reach the router, its output shows in xterm.js, and the session is recorded and audited.</summary>
[Collection(LabGroup.Name)]
public sealed class WebTerminalTests(LabFixture lab)
{
    [ChromiumFact]
    public async Task A_terminal_to_a_lab_router_shows_the_running_config_and_records_the_session()
    {
        lab.RequireLab();
        await using var app = new AppServer();
        app.StartServer();
        var router = LabFixture.Router(2);
        var deviceId = (await app.AddLabDevicesAsync("frr", router))[router.Name];
        var dbFactory = app.Services.GetRequiredService<IDbContextFactory<EnmsDbContext>>();
        await using var browser = await BrowserSession.LaunchAsync(30_000);
        var page = await browser.NewPageAsync(app, timeoutMilliseconds: 30_000);

        await Browser.StepsAsync(page, "web-terminal", async () =>
        {
            var csp = await Browser.SignInAtAsync(page, $"/devices/{deviceId}");
            await page.GetByTestId("terminal").ClickAsync();
            await Expect(page.GetByTestId("terminal-status")).ToHaveTextAsync("connected");
            var screen = page.GetByTestId("terminal").Locator(".xterm-rows");
            await Expect(screen).ToContainTextAsync("r2#");
            await page.GetByTestId("terminal").Locator(".xterm-helper-textarea").FocusAsync();
            await page.Keyboard.TypeAsync("show running-config");
            await page.Keyboard.PressAsync("Enter");
            // The screen shows the end of the output (its start has scrolled up); the transcript below has all of it.
            await Expect(screen).ToContainTextAsync("router ospf");
            await Expect(screen).ToContainTextAsync("router bgp 65002");
            Assert.Empty(csp);
            // Leave through the app's own navigation: the circuit disposes the terminal page at once (a full page
            // load would leave it to the browser's unload beacon, or to the circuit's retention period).
            await page.Locator("a[href='devices']").First.ClickAsync();
            await Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/devices$"));
        });

        // Leaving the page closed the session: its transcript is stored and the audit log lists it.
        TerminalSession? session = null;
        for (var i = 0; i < 300 && session?.EndedAt is null; i++)
        {
            await Task.Delay(100);
            await using var db = await dbFactory.CreateDbContextAsync();
            session = await db.TerminalSessions.AsNoTracking().SingleOrDefaultAsync();
        }
        Assert.True(session?.EndedAt is not null, $"the terminal session was not closed; the app logged:\n{app.Problems()}");
        Assert.Contains("show running-config", session.Transcript, StringComparison.Ordinal);
        Assert.Contains("hostname r2", session.Transcript, StringComparison.Ordinal);
        Assert.Contains("frr version", session.Transcript, StringComparison.Ordinal);
        Assert.DoesNotContain(router.Credential.Password!, session.Transcript, StringComparison.Ordinal);
        await using (var db = await dbFactory.CreateDbContextAsync())
        {
            var audited = await db.AuditEntries.AsNoTracking().Where(e => e.TargetKind == "terminal session").Select(e => e.Action).ToListAsync();
            Assert.Equal(["terminal open", "terminal close"], audited);
        }
    }
}
