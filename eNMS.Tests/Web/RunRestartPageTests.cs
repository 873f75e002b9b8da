using Bunit;
using eNMS.Core.Automation;
using eNMS.Core.Automation.Execution;
using eNMS.Core.Automation.Handlers;
using eNMS.Core.Automation.Workflows;
using eNMS.Core.Inventory;
using eNMS.Web.Components.Pages.Automation;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Quartz;

namespace eNMS.Tests.Web;

/// <summary>Restarting a finished workflow run from a node on the run page: a new run from that node, reusing the
/// earlier results, on all its devices or only the failed ones (queued through Quartz, not executed here).</summary>
public sealed class RunRestartPageTests : WebTestContext
{
    public RunRestartPageTests()
    {
        Services.AddLogging();
        Services.AddQuartz();
        Services.AddSingleton<RunNotifier>();
        Services.AddSingleton<RunWaits>();
        Services.AddSingleton<RunDispatcher>();
        Services.AddSingleton(new ServiceHandlers([new WaitHandler()]));
        Services.AddSingleton<RunLauncher>();
        Services.AddSingleton<eNMS.Core.Configurations.ConfigActions>();
        // The run page draws a workflow run's graph: Z.Blazor.Diagrams renders only interactively and measures its canvas through JS.
        SetRendererInfo(new Microsoft.AspNetCore.Components.RendererInfo("Server", true));
        JSInterop.Setup<Blazor.Diagrams.Core.Geometry.Rectangle>("ZBlazorDiagrams.getBoundingClientRect", _ => true)
            .SetResult(new Blazor.Diagrams.Core.Geometry.Rectangle(0, 0, 1000, 600));
    }

    private async Task<Run> SeedFailedRunAsync()
    {
        var paris = new Device { Name = "paris" };
        var london = new Device { Name = "london" };
        var wait = new Service { Name = "settle", Kind = "wait" };
        await SeedAsync(db => db.AddRange(paris, london, wait));
        var workflow = new Service
        {
            Name = "change window",
            Kind = ServiceHandlers.WorkflowKind,
            Graph = new WorkflowGraph { Start = "first", Nodes = [new() { Id = "first", ServiceId = wait.Id }, new() { Id = "second", ServiceId = wait.Id }], Edges = [new() { From = "first", To = "second" }] },
        };
        await SeedAsync(db => db.Services.Add(workflow));
        var run = new Run { ServiceId = workflow.Id, ServiceName = workflow.Name, Status = RunStatus.Failed, DeviceIds = [paris.Id, london.Id], DevicesTotal = 2, DevicesDone = 2, DevicesFailed = 1 };
        await SeedAsync(db => db.Runs.Add(run));
        await SeedAsync(db => db.RunResults.AddRange(
            new RunResult { RunId = run.Id, DeviceId = paris.Id, DeviceName = "paris", ServiceId = workflow.Id, Success = false, Error = "second failed" },
            new RunResult { RunId = run.Id, DeviceId = london.Id, DeviceName = "london", ServiceId = workflow.Id, Success = true }));
        return run;
    }

    [Fact]
    public async Task A_restart_from_a_node_on_the_failed_devices_only_starts_a_run_that_reuses_the_earlier_results()
    {
        var run = await SeedFailedRunAsync();
        var page = Render<RunPage>(p => p.Add(x => x.RunId, run.Id));
        page.WaitForElement("[data-testid=restart-run]");

        await page.InvokeAsync(() => page.FindComponent<MudBlazor.MudSelect<string>>().Instance.ValueChanged.InvokeAsync("second"));
        await page.InvokeAsync(() => page.FindComponent<MudBlazor.MudCheckBox<bool>>().Instance.ValueChanged.InvokeAsync(true));
        await page.InvokeAsync(() => page.Find("button[data-testid=restart-run]").Click());

        await using var db = await DbFactory.CreateDbContextAsync();
        var restart = await db.Runs.AsNoTracking().SingleAsync(r => r.Id != run.Id);
        var paris = await db.Devices.SingleAsync(d => d.Name == "paris");
        Assert.Equal((run.Id, "second", RunStatus.Pending), (restart.RestartOfRunId, restart.RestartFromNode, restart.Status));
        Assert.Equal([paris.Id], restart.DeviceIds);
        Assert.EndsWith($"runs/{restart.Id}", Services.GetRequiredService<Microsoft.AspNetCore.Components.NavigationManager>().Uri, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Failed_devices_only_on_a_run_where_none_failed_starts_nothing()
    {
        var run = await SeedFailedRunAsync();
        await using (var db = await DbFactory.CreateDbContextAsync())
        {
            await db.RunResults.Where(r => r.RunId == run.Id).ExecuteUpdateAsync(u => u.SetProperty(r => r.Success, true));
        }
        var page = Render<RunPage>(p => p.Add(x => x.RunId, run.Id));
        page.WaitForElement("[data-testid=restart-run]");

        await page.InvokeAsync(() => page.FindComponent<MudBlazor.MudSelect<string>>().Instance.ValueChanged.InvokeAsync("first"));
        await page.InvokeAsync(() => page.FindComponent<MudBlazor.MudCheckBox<bool>>().Instance.ValueChanged.InvokeAsync(true));
        await page.InvokeAsync(() => page.Find("button[data-testid=restart-run]").Click());

        await using var check = await DbFactory.CreateDbContextAsync();
        Assert.Equal(1, await check.Runs.CountAsync());
    }
}
