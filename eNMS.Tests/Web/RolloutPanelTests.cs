using Bunit;
using eNMS.Core.Automation;
using eNMS.Core.Automation.Execution;
using eNMS.Web.Components.Pages.Automation;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace eNMS.Tests.Web;

/// <summary>The run page's rollout panel: the plan, each batch's devices and outcome, why the rollout stopped, live.</summary>
public sealed class RolloutPanelTests : WebTestContext
{
    public RolloutPanelTests()
    {
        Services.AddLogging();
        Services.AddSingleton<RunNotifier>();
    }

    private static RolloutBatch Batch(int stage, string outcome, int done, int failed, params string[] devices) =>
        new() { Stage = stage, Outcome = outcome, Done = done, Failed = failed, Devices = [.. devices] };

    [Fact]
    public async Task A_run_without_a_rollout_shows_no_panel()
    {
        var run = new Run { ServiceName = "plain", Status = RunStatus.Completed };
        await SeedAsync(db => db.Runs.Add(run));

        var panel = Render<RolloutPanel>(p => p.Add(x => x.RunId, run.Id));

        Assert.Empty(panel.FindAll("[data-testid=rollout-panel]"));
    }

    [Fact]
    public async Task A_stopped_rollout_shows_its_batches_why_it_stopped_and_the_devices_not_started_then_follows_the_run()
    {
        var many = Enumerable.Range(1, 12).Select(i => $"r{i:00}").ToArray();
        var run = new Run
        {
            ServiceName = "change",
            Status = RunStatus.Failed,
            Rollout = new RolloutPlan { Stages = "1, 100%", FailureLimit = "0", WaitSeconds = 30 },
            RolloutProgress = new RolloutProgress
            {
                Batches = [Batch(1, "failed", 1, 1, "paris-core"), Batch(2, "not started (rollout stopped)", 0, 0, many)],
                Stopped = "threshold reached: 1 of 1 failed in batch 1 (limit 0)",
                NotStarted = [.. many],
            },
        };
        await SeedAsync(db => db.Runs.Add(run));

        var panel = Render<RolloutPanel>(p => p.Add(x => x.RunId, run.Id));

        panel.WaitForAssertion(() => Assert.Equal(2, panel.FindAll("[data-testid=rollout-batch]").Count));
        Assert.Equal("stages 1, 100%; failure limit 0; wait 30 s", panel.Find("[data-testid=rollout-plan]").TextContent);
        var stopped = panel.Find("[data-testid=rollout-stopped]").TextContent;
        Assert.Contains("threshold reached: 1 of 1 failed in batch 1 (limit 0)", stopped, StringComparison.Ordinal);
        Assert.Contains("12 device(s) not started (rollout stopped)", stopped, StringComparison.Ordinal);
        Assert.Equal(["failed", "not started (rollout stopped)"], panel.FindAll("[data-testid=rollout-outcome]").Select(e => e.TextContent.Trim()));
        var second = panel.FindAll("[data-testid=rollout-devices]")[1].TextContent;
        Assert.StartsWith("r01, r02", second, StringComparison.Ordinal);
        Assert.EndsWith("(2 more)", second, StringComparison.Ordinal);
        Assert.DoesNotContain("r11", second, StringComparison.Ordinal);

        // A resume of it is another run; here the same run moves on, as a running one does batch by batch.
        await using (var db = await DbFactory.CreateDbContextAsync())
        {
            var stored = await db.Runs.SingleAsync(r => r.Id == run.Id);
            stored.RolloutProgress = new RolloutProgress { Batches = [Batch(1, "succeeded", 1, 0, "paris-core"), Batch(2, "running", 0, 0, many)] };
            await db.SaveChangesAsync();
        }
        Services.GetRequiredService<RunNotifier>().Publish(new RunLogged(run.Id, new RunLogEntry { RunId = run.Id, Message = "Rollout batch 2: 12 device(s) started" }));
        panel.WaitForAssertion(() => Assert.Equal(["succeeded", "running"], panel.FindAll("[data-testid=rollout-outcome]").Select(e => e.TextContent.Trim())));
        Assert.Empty(panel.FindAll("[data-testid=rollout-stopped]"));
    }
}
