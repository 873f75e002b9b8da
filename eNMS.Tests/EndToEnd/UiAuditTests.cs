using System.Text.Json;
using eNMS.Core.Automation;
using eNMS.Core.Automation.Execution;
using eNMS.Core.Automation.Handlers;
using eNMS.Core.Data;
using eNMS.Core.Inventory;
using eNMS.Tests.Web;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace eNMS.Tests.EndToEnd;

/// <summary>
/// The page-driven counterpart of <see cref="Integration.AuditOwnershipTests"/> (issue 16, defect 4): the actions
/// that once left no entry when done from the UI (an import, a run started, cancelled and resumed, a host key
/// forgotten) and plain edits, each done in Chromium against the real app, write exactly one entry each, in order,
/// under the signed-in user. Pages never write the audit; Core's use cases do, so a page cannot forget or repeat it.
/// </summary>
[Collection(Browser.Collection)]
public sealed class UiAuditTests
{
    [ChromiumFact]
    public async Task Each_action_done_in_the_ui_writes_exactly_one_audit_entry_under_the_signed_in_user()
    {
        await using var app = new AppServer();
        app.StartServer();
        var target = new Device { Name = "audit-target", Address = "192.0.2.60", Platform = "cisco_ios" };
        var slow = new Service
        {
            Name = "audit slow wait",
            Kind = "wait",
            Parameters = JsonSerializer.Serialize(new WaitParameters { Seconds = 120 }, ServiceJson.Options),
        };
        await using (var db = await Db(app).CreateDbContextAsync())
        {
            db.Devices.Add(target);
            db.KnownHostKeys.Add(new KnownHostKey { Host = "192.0.2.61", Fingerprint = "SHA256:audit", Algorithm = "ssh-ed25519", FirstSeen = DateTimeOffset.UnixEpoch });
            await db.SaveChangesAsync();
            slow.DeviceIds = [target.Id];
            db.Services.Add(slow);
            await db.SaveChangesAsync();
        }
        long before;
        await using (var db = await Db(app).CreateDbContextAsync())
        {
            before = await db.AuditEntries.MaxAsync(e => (long?)e.Id) ?? 0;
        }
        await using var browser = await BrowserSession.LaunchAsync(30_000);
        var page = await browser.NewPageAsync(app, width: 1280, height: 900, timeoutMilliseconds: 30_000);

        await Browser.StepsAsync(page, "ui-audit", async () =>
        {
            // An import from the import page.
            await Browser.SignInAtAsync(page, "/import");
            await ChooseWorkbookAsync(page);
            await page.GetByTestId("commit").ClickAsync();
            await Expect(page.GetByTestId("import-committed")).ToBeVisibleAsync();

            // A device created, then deleted from the devices page.
            await page.GotoAsync("/devices/new");
            await Expect(page.GetByTestId("interactive")).ToBeAttachedAsync();
            await page.Locator("input[data-testid=field-name]").FillAsync("audit-ui-r1");
            await page.Locator("input[data-testid=field-address]").FillAsync("192.0.2.62");
            await page.GetByTestId("save").ClickAsync();
            await Expect(page.GetByTestId("device-title")).ToHaveTextAsync("audit-ui-r1");
            await page.GotoAsync("/devices");
            await Expect(page.GetByTestId("interactive")).ToBeAttachedAsync();
            await page.GetByRole(AriaRole.Button, new() { Name = "Delete audit-ui-r1" }).ClickAsync();
            await page.Locator(".mud-dialog").GetByRole(AriaRole.Button, new() { Name = "Delete", Exact = true }).ClickAsync();
            await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Delete audit-ui-r1" })).ToHaveCountAsync(0);

            // A run started from the service editor, cancelled and resumed from its run page.
            await page.GotoAsync($"/services/{slow.Id}/edit");
            await Expect(page.GetByTestId("interactive")).ToBeAttachedAsync();
            await page.GetByTestId("run-from-editor").ClickAsync();
            // Nothing picked: the run uses the service's own target (audit-target).
            await Expect(page.Locator(".mud-dialog [data-testid=run-device-search]")).ToBeVisibleAsync();
            await page.GetByTestId("start-run").ClickAsync();
            await Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/runs/\\d+$"));
            await Expect(page.GetByTestId("run-status")).ToHaveTextAsync("Running");
            var firstRun = page.Url;
            await page.GetByTestId("cancel-run").ClickAsync();
            await Expect(page.GetByTestId("run-status")).ToHaveTextAsync("Cancelled");
            await page.GetByTestId("resume-run").ClickAsync();
            await Expect(page).Not.ToHaveURLAsync(firstRun);
            await Expect(page.GetByTestId("run-status")).ToHaveTextAsync("Running");

            // A host key forgotten on the admin page.
            await page.GotoAsync("/admin/hostkeys");
            await Expect(page.GetByTestId("interactive")).ToBeAttachedAsync();
            await page.GetByTestId("hostkey-forget").ClickAsync();
            await Expect(page.GetByTestId("hostkey-fingerprint")).ToHaveCountAsync(0);
        });

        await using (var db = await Db(app).CreateDbContextAsync())
        {
            var written = await db.AuditEntries.AsNoTracking().Where(e => e.Id > before && e.Action != "sign-in").OrderBy(e => e.Id).ToListAsync();
            var listed = string.Join("; ", written.Select(e => $"{e.User}: {e.Action} {e.TargetKind} {e.TargetName}"));
            Assert.True(written.All(e => e.User == "admin"), $"an entry is not under the signed-in user: [{listed}]");
            Assert.True(
                written.Select(e => e.Action).SequenceEqual(["import", "create", "delete", "run start", "run cancel", "run resume", "host key forget"]),
                $"one entry per action, in order, expected; written: [{listed}]");
        }
    }

    private static IDbContextFactory<EnmsDbContext> Db(AppServer app) => app.Services.GetRequiredService<IDbContextFactory<EnmsDbContext>>();

    /// <summary>Chooses a one-device workbook until the preview shows (see InventoryImportTests: InputFile wires its
    /// listener after the first interactive render).</summary>
    private static async Task ChooseWorkbookAsync(IPage page)
    {
        for (var attempt = 1; ; attempt++)
        {
            await page.Locator("input[type=file]").SetInputFilesAsync(new FilePayload
            {
                Name = "inventory.xlsx",
                MimeType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                Buffer = TestWorkbooks.Devices(["name", "address", "platform"], ["audit-imported", "192.0.2.63", "cisco_ios"]),
            });
            try
            {
                await Expect(page.Locator("[data-testid=counts-devices] [data-testid=created]")).ToHaveTextAsync("1", new() { Timeout = 10_000 });
                return;
            }
            catch (PlaywrightException) when (attempt < 3)
            {
            }
        }
    }
}
