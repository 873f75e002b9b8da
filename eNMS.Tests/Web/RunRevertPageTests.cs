using Bunit;
using eNMS.Core.Automation;
using eNMS.Core.Automation.Execution;
using eNMS.Core.Automation.Handlers;
using eNMS.Core.Configurations;
using eNMS.Core.Inventory;
using eNMS.Web.Components.Pages.Automation;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Quartz;

namespace eNMS.Tests.Web;

/// <summary>Reverting a finished change run from its page: offered only when the run changed devices it kept the
/// configuration of; the preview starts the dry-run revert (queued through Quartz, not executed here).</summary>
public sealed class RunRevertPageTests : WebTestContext
{
    public RunRevertPageTests()
    {
        Services.AddLogging();
        Services.AddQuartz();
        Services.AddSingleton<RunNotifier>();
        Services.AddSingleton<RunWaits>();
        Services.AddSingleton<RunDispatcher>();
        Services.AddSingleton<ConfigStore>();
        Services.AddSingleton(sp => new ServiceHandlers([new ConfigRollbackHandler(sp.GetRequiredService<ConfigStore>(), DbFactory)]));
        Services.AddSingleton<RunLauncher>();
        Services.AddSingleton<ConfigActions>();
    }

    private async Task<Run> SeedChangeRunAsync(bool snapshot)
    {
        var paris = new Device { Name = "paris", Platform = "cisco_ios" };
        var push = new Service { Name = "push ntp", Kind = "cli_config" };
        await SeedAsync(db => db.AddRange(paris, push));
        var run = new Run { ServiceId = push.Id, ServiceName = push.Name, Status = RunStatus.Completed, DeviceIds = [paris.Id], DevicesTotal = 1, DevicesDone = 1 };
        await SeedAsync(db => db.Runs.Add(run));
        await SeedAsync(db => db.RunResults.Add(new RunResult { RunId = run.Id, DeviceId = paris.Id, DeviceName = "paris", ServiceId = push.Id, Success = true, Changed = true }));
        if (snapshot)
        {
            await SeedAsync(db => db.ChangeSnapshots.Add(new ChangeSnapshot { RunId = run.Id, DeviceId = paris.Id, DeviceName = "paris", Config = "hostname paris\n" }));
        }
        return run;
    }

    [Fact]
    public async Task A_run_that_kept_no_snapshot_offers_no_revert()
    {
        var run = await SeedChangeRunAsync(snapshot: false);

        var page = Render<RunPage>(p => p.Add(x => x.RunId, run.Id));

        page.WaitForAssertion(() => Assert.Contains("push ntp", page.Markup, StringComparison.Ordinal));
        Assert.Empty(page.FindAll("[data-testid=revert-preview]"));
        Assert.Empty(page.FindAll("[data-testid=revert-run]"));
    }

    [Fact]
    public async Task Preview_revert_starts_the_dry_run_revert_of_the_changed_devices_and_opens_it()
    {
        var run = await SeedChangeRunAsync(snapshot: true);
        var page = Render<RunPage>(p => p.Add(x => x.RunId, run.Id));
        page.WaitForElement("[data-testid=revert-preview]");
        Assert.Contains("(1)", page.Find("[data-testid=revert-preview]").TextContent, StringComparison.Ordinal);

        await page.InvokeAsync(() => page.Find("button[data-testid=revert-preview]").Click());

        await using var db = await DbFactory.CreateDbContextAsync();
        var revert = await db.Runs.AsNoTracking().SingleAsync(r => r.Id != run.Id);
        var service = await db.Services.AsNoTracking().SingleAsync(s => s.Id == revert.ServiceId);
        Assert.Equal(("config_rollback", true, RunStatus.Pending, "revert"), (service.Kind, service.IsAdHoc, revert.Status, revert.Trigger));
        Assert.Contains($"\"revertRunId\":{run.Id}", service.Parameters, StringComparison.Ordinal);
        Assert.Contains("\"dryRun\":true", service.Parameters, StringComparison.Ordinal);
        Assert.Equal(run.DeviceIds, revert.DeviceIds);
        Assert.EndsWith($"runs/{revert.Id}", Services.GetRequiredService<Microsoft.AspNetCore.Components.NavigationManager>().Uri, StringComparison.Ordinal);
        Assert.Equal(1, await db.AuditEntries.CountAsync(e => e.Action == "revert preview"));
    }
}
