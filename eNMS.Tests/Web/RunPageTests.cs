using Bunit;
using eNMS.Core.Automation;
using eNMS.Core.Automation.Execution;
using eNMS.Core.Automation.Handlers;
using eNMS.Web.Components.Pages;
using Microsoft.Extensions.DependencyInjection;

namespace eNMS.Tests.Web;

public sealed class RunPageTests : WebTestContext
{
    public RunPageTests()
    {
        Services.AddLogging();
        Services.AddSingleton<RunNotifier>();
        Services.AddSingleton<RunDispatcher>();
        Services.AddSingleton(new ServiceHandlers([]));
        Services.AddSingleton<RunLauncher>();
    }

    [Fact]
    public async Task The_run_page_shows_log_lines_results_and_progress_as_they_happen()
    {
        var run = new Run { ServiceName = "backup", Status = RunStatus.Running, DevicesTotal = 2 };
        await SeedAsync(db => db.Runs.Add(run));
        var page = Render<RunPage>(p => p.Add(x => x.RunId, run.Id));
        page.WaitForAssertion(() => Assert.Contains("0 of 2 device(s) done", page.Find("[data-testid=run-progress]").TextContent, StringComparison.Ordinal));

        var notifier = Services.GetRequiredService<RunNotifier>();
        notifier.Publish(new RunLogged(run.Id, new RunLogEntry { RunId = run.Id, Message = "connected to paris-core" }));
        notifier.Publish(new ResultRecorded(run.Id, new RunResult { RunId = run.Id, ServiceName = "backup", DeviceName = "paris-core", Success = true }));
        notifier.Publish(new RunProgressed(run.Id, RunStatus.Running, 1, 0, 2));
        notifier.Publish(new RunLogged(run.Id + 1, new RunLogEntry { RunId = run.Id + 1, Message = "another run" }));

        page.WaitForAssertion(() =>
        {
            Assert.Contains("connected to paris-core", page.Find("[data-testid=run-log]").TextContent, StringComparison.Ordinal);
            Assert.Contains("paris-core", page.Find("[data-testid=result-table]").TextContent, StringComparison.Ordinal);
            Assert.Contains("1 of 2 device(s) done", page.Find("[data-testid=run-progress]").TextContent, StringComparison.Ordinal);
        });
        Assert.DoesNotContain("another run", page.Markup, StringComparison.Ordinal);
    }
}
