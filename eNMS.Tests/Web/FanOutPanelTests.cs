using Bunit;
using eNMS.Core.Automation;
using eNMS.Core.Automation.Execution;
using eNMS.Web.Components.Pages.Automation;

namespace eNMS.Tests.Web;

/// <summary>The run page's fan-out section: nothing when no connection was refused; while running, the latest report
/// the run published (Live); once the run ended, the stored one: the cap that held per platform and the devices retried.</summary>
public sealed class FanOutPanelTests : WebTestContext
{
    private static readonly FanOutReport Report = new(
        [new PlatformCap("cisco_ios", 16, 4, 5, 3, new Dictionary<string, int> { ["connection reset"] = 3 })],
        [
            new ConnectRetry("london-core", "cisco_ios", "connection reset", 1, 3, 2, GaveUp: false),
            new ConnectRetry("paris-core", "cisco_ios", "connection refused", 3, 3, 0, GaveUp: true),
        ]);

    private async Task<Run> RunAsync(RunStatus status, FanOutReport? report)
    {
        var run = new Run { ServiceName = "backup", Status = status, FanOutJson = report?.ToJson() ?? "" };
        await SeedAsync(db => db.Runs.Add(run));
        return run;
    }

    [Fact]
    public async Task A_run_with_no_refused_connection_shows_nothing()
    {
        var run = await RunAsync(RunStatus.Completed, null);

        var panel = Render<FanOutPanel>(p => p.Add(x => x.RunId, run.Id).Add(x => x.Status, run.Status));

        Assert.Empty(panel.FindAll("[data-testid=fanout-panel]"));
    }

    [Fact]
    public async Task While_the_run_goes_on_the_latest_published_report_is_shown()
    {
        var run = await RunAsync(RunStatus.Running, null);
        var panel = Render<FanOutPanel>(p => p.Add(x => x.RunId, run.Id).Add(x => x.Status, RunStatus.Running));
        Assert.Empty(panel.FindAll("[data-testid=fanout-panel]"));

        panel.Render(p => p.Add(x => x.Live, Report with { Retries = [Report.Retries[0]] }));

        Assert.Equal(["london-core: connection reset (attempt 1 of 3), retried after 2 s"], panel.FindAll("[data-testid=fanout-retry]").Select(e => e.TextContent));
        panel.Render(p => p.Add(x => x.Live, Report));
        Assert.Equal(2, panel.FindAll("[data-testid=fanout-retry]").Count);
    }

    [Fact]
    public async Task Once_the_run_ends_the_caps_and_the_retried_devices_are_shown()
    {
        var run = await RunAsync(RunStatus.Running, null);
        var panel = Render<FanOutPanel>(p => p.Add(x => x.RunId, run.Id).Add(x => x.Status, RunStatus.Running));
        Assert.Empty(panel.FindAll("[data-testid=fanout-panel]"));
        await SeedAsync(db => db.Runs.Attach(run).Entity.FanOutJson = Report.ToJson());

        panel.Render(p => p.Add(x => x.Status, RunStatus.Failed));

        panel.WaitForAssertion(() => Assert.Equal("cisco_ios: cap lowered 16 → 4 after 3 refused connection(s) (connection reset ×3); held at 5",
            panel.Find("[data-testid=fanout-platform]").TextContent));
        Assert.Equal(["london-core: connection reset (attempt 1 of 3), retried after 2 s", "paris-core: connection refused (attempt 3 of 3), gave up"],
            panel.FindAll("[data-testid=fanout-retry]").Select(e => e.TextContent));
    }
}
