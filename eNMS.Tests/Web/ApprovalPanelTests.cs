using Bunit;
using eNMS.Core.Automation;
using eNMS.Core.Automation.Approvals;
using eNMS.Core.Automation.Execution;
using eNMS.Core.Security;
using eNMS.Web.Components.Pages.Automation;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace eNMS.Tests.Web;

/// <summary>The run page's approval panel: pending devices with their diff, approve/reject one or all with a comment,
/// the same rules as the API, and the decisions taken.</summary>
public sealed class ApprovalPanelTests : WebTestContext
{
    public ApprovalPanelTests()
    {
        Services.AddLogging();
        Services.AddSingleton<RunNotifier>();
    }

    /// <summary>A running run started by <paramref name="startedBy"/> with paris-core and london-core waiting at its gate.</summary>
    private async Task<Run> WaitingRunAsync(string startedBy = "someone-else")
    {
        var run = new Run { ServiceName = "change", Status = RunStatus.Running, CreatedBy = startedBy, DeviceIds = [1, 2], DevicesTotal = 2 };
        await SeedAsync(db => db.Runs.Add(run));
        await SeedAsync(db => db.ApprovalDecisions.AddRange(Pending(run, 1, "paris-core"), Pending(run, 2, "london-core")));
        return run;
    }

    private static ApprovalDecision Pending(Run run, int deviceId, string deviceName) => new()
    {
        RunId = run.Id,
        Node = "gate",
        DeviceId = deviceId,
        DeviceName = deviceName,
        Preview = $"+ snmp-server location {deviceName}",
        PreviewNode = "dry",
        ExpiresAt = TimeProvider.System.GetUtcNow().AddHours(1),
    };

    private async Task<Dictionary<string, ApprovalDecision>> StoredAsync(int runId)
    {
        await using var db = await DbFactory.CreateDbContextAsync();
        return await db.ApprovalDecisions.AsNoTracking().Where(a => a.RunId == runId).ToDictionaryAsync(a => a.DeviceName);
    }

    private IRenderedComponent<ApprovalPanel> Panel(Run run) =>
        Render<ApprovalPanel>(p => p.Add(x => x.RunId, run.Id).Add(x => x.Running, true));

    [Fact]
    public async Task A_viewer_sees_what_waits_but_deciding_is_refused()
    {
        Authorization.SetRoles(Roles.Viewer);
        Authorization.SetPolicies(Policies.Read);
        var run = await WaitingRunAsync();
        var panel = Panel(run);
        panel.WaitForAssertion(() => Assert.Equal(2, panel.FindAll("[data-testid=approval-row]").Count));

        await panel.InvokeAsync(() => panel.Find("[data-testid=approve-all]").Click());

        Assert.All((await StoredAsync(run.Id)).Values, d => Assert.Equal(ApprovalVerdict.Pending, d.Decision));
    }

    [Fact]
    public async Task The_user_who_started_the_run_cannot_approve_it()
    {
        var run = await WaitingRunAsync(startedBy: "tester");
        var panel = Panel(run);
        panel.WaitForAssertion(() => Assert.Equal(2, panel.FindAll("[data-testid=approve-device]").Count));

        await panel.InvokeAsync(() => panel.FindAll("[data-testid=approve-device]")[0].Click());

        Assert.All((await StoredAsync(run.Id)).Values, d => Assert.Equal(ApprovalVerdict.Pending, d.Decision));
    }

    [Fact]
    public async Task Approving_one_device_with_a_comment_then_rejecting_the_rest_records_and_shows_each_decision()
    {
        var run = await WaitingRunAsync();
        var panel = Panel(run);
        panel.WaitForAssertion(() => Assert.Equal(2, panel.FindAll("[data-testid=approval-preview]").Count));
        Assert.Contains("+ snmp-server location paris-core", panel.Markup, StringComparison.Ordinal);

        panel.Find("input[data-testid=approval-comment]").Change("looks right");
        var paris = panel.FindAll("[data-testid=approval-row]").Single(r => r.TextContent.Contains("paris-core", StringComparison.Ordinal));
        await panel.InvokeAsync(() => paris.QuerySelector("[data-testid=approve-device]")!.Click());
        panel.WaitForAssertion(() => Assert.Single(panel.FindAll("[data-testid=approve-device]")));
        await panel.InvokeAsync(() => panel.Find("[data-testid=reject-all]").Click());

        var stored = await StoredAsync(run.Id);
        Assert.Equal((ApprovalVerdict.Approved, "tester", "looks right"), (stored["paris-core"].Decision, stored["paris-core"].DecidedBy, stored["paris-core"].Comment));
        Assert.Equal((ApprovalVerdict.Rejected, "tester", ""), (stored["london-core"].Decision, stored["london-core"].DecidedBy, stored["london-core"].Comment));
        panel.WaitForAssertion(() =>
        {
            Assert.Empty(panel.FindAll("[data-testid=approve-device]"));
            var shown = panel.FindAll("[data-testid=approval-by]").Select(b => b.TextContent).ToList();
            Assert.Contains(shown, s => s.StartsWith("by tester", StringComparison.Ordinal) && s.EndsWith(": looks right", StringComparison.Ordinal));
            Assert.Equal(["Approved", "Rejected"], panel.FindAll("[data-testid=approval-decision]").Select(c => c.TextContent.Trim()));
        });
    }

    [Fact]
    public async Task A_device_reaching_the_gate_appears_without_reloading()
    {
        var run = new Run { ServiceName = "change", Status = RunStatus.Running, CreatedBy = "someone-else", DeviceIds = [1], DevicesTotal = 1 };
        await SeedAsync(db => db.Runs.Add(run));
        var panel = Panel(run);
        Assert.Empty(panel.FindAll("[data-testid=approval-panel]"));

        await SeedAsync(db => db.ApprovalDecisions.Add(Pending(run, 1, "paris-core")));
        Services.GetRequiredService<RunNotifier>().Publish(new ApprovalsChanged(run.Id, 1));

        panel.WaitForAssertion(() => Assert.Equal("paris-core", panel.Find("[data-testid=approval-device]").TextContent));
    }
}
