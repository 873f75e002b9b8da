using System.Net.Http.Json;
using eNMS.Core.Automation;
using eNMS.Core.Automation.Approvals;
using eNMS.Core.Automation.Execution;
using eNMS.Core.Data;
using eNMS.Core.Security;
using eNMS.Tests.TestSupport;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace eNMS.Tests.Integration;

/// <summary>A node with one execution slot (Automation:MaxConcurrentRuns=1): working runs take turns, and a run
/// waiting for people (at an approval gate, before a rollout batch) gives its slot back meanwhile.</summary>
public sealed class RunSlotTests : IAsyncLifetime
{
    private readonly EnmsAppFactory _app = new(seedDemo: true) { Settings = new Dictionary<string, string> { ["Automation:MaxConcurrentRuns"] = "1" } };
    private AutomationClient _starter = null!;
    private HttpClient _approver = null!;
    private HttpClient _admin = null!;
    private Dictionary<string, int> _devices = null!;

    public async Task InitializeAsync()
    {
        _starter = new AutomationClient(_app.CreateClient(await _app.CreateTokenAsync(await _app.CreateUserAsync("starter", Roles.Editor))));
        _approver = _app.CreateClient(await _app.CreateTokenAsync(await _app.CreateUserAsync("approver", Roles.Editor)));
        _admin = await _app.CreateClientAsync(Roles.Admin);
        await using var db = await _app.Services.GetRequiredService<IDbContextFactory<EnmsDbContext>>().CreateDbContextAsync();
        _devices = await db.Devices.ToDictionaryAsync(d => d.Name, d => d.Id);
    }

    public async Task DisposeAsync() => await _app.DisposeAsync();

    private async Task<Run> RunOfAsync(int runId) => (await _starter.Http.GetFromJsonAsync<Run>($"/api/runs/{runId}", AutomationClient.Json))!;

    /// <summary>Waits (bounded) until a device of the run waits at a gate.</summary>
    private async Task PendingAsync(int runId)
    {
        var deadline = TimeProvider.System.GetUtcNow().AddSeconds(60);
        while (!(await _approver.GetFromJsonAsync<List<ApprovalDecision>>($"/api/runs/{runId}/approvals", AutomationClient.Json))!
            .Any(a => a.Decision == ApprovalVerdict.Pending))
        {
            Assert.True(TimeProvider.System.GetUtcNow() < deadline, $"run {runId}: nobody waits at its gate");
            await Task.Delay(100);
        }
    }

    [Fact]
    public async Task Two_working_runs_take_turns_on_the_one_slot()
    {
        var wait = await _starter.CreateServiceAsync("two seconds", "wait", new { seconds = 2 });
        var first = await _starter.RunAsync(wait, []);
        var second = await _starter.RunAsync(wait, []);
        var (a, b) = (await _starter.WaitAsync(first, 60), await _starter.WaitAsync(second, 60));

        Assert.Equal((RunStatus.Completed, RunStatus.Completed), (a.Status, b.Status));
        var (earlier, later) = a.StartedAt <= b.StartedAt ? (a, b) : (b, a);
        Assert.True(later.StartedAt >= earlier.EndedAt, $"the runs overlapped: {earlier.StartedAt:O}–{earlier.EndedAt:O} and {later.StartedAt:O}–{later.EndedAt:O}");
    }

    [Fact]
    public async Task A_run_waiting_for_approval_lets_another_run_start_and_end_and_goes_on_once_approved()
    {
        var dry = await _starter.CreateServiceAsync("dry", "cli_config", new { config = "snmp-server location {{ device.location }}", dryRun = true });
        var gate = await _starter.CreateServiceAsync("gate", "approval", new { timeoutMinutes = 10 });
        var applied = await _starter.CreateServiceAsync("applied", "test_step", new { echo = "applied" });
        var workflow = await _starter.CreateWorkflowAsync("gated", [("dry", dry), ("gate", gate), ("applied", applied)], ["dry>gate", "gate>applied"]);
        var gated = await _starter.RunAsync(workflow, [_devices["paris-core"], _devices["london-core"]]);
        await PendingAsync(gated);

        var other = await _starter.CreateServiceAsync("meanwhile", "test_step", new { echo = "meanwhile" });
        var meanwhile = await _starter.WaitAsync(await _starter.RunAsync(other, [_devices["berlin-core"]]), 60);
        Assert.Equal(RunStatus.Completed, meanwhile.Status);
        Assert.Equal(RunStatus.Running, (await RunOfAsync(gated)).Status);

        (await _approver.PostAsJsonAsync($"/api/runs/{gated}/approvals", new { decision = "Approved" })).EnsureSuccessStatusCode();
        var done = await _starter.WaitAsync(gated, 60);
        Assert.Equal((RunStatus.Completed, 2), (done.Status, done.DevicesDone));
        Assert.Equal(2, (await _starter.ResultsAsync(gated)).Count(r => r.Node == "applied" && r.Success));
    }

    [Fact]
    public async Task A_rollout_waiting_for_its_batch_approval_lets_another_run_start_and_end()
    {
        var step = await _starter.CreateServiceAsync("step", "test_step", new { echo = "{{ device.name }}" });
        var response = await _starter.Http.PostAsJsonAsync($"/api/services/{step}/run",
            new { deviceIds = new[] { _devices["paris-core"], _devices["london-core"] }, rollout = new { stages = "1, 100%", approval = true } });
        var rollout = (int)(await AutomationClient.Read(response, System.Net.HttpStatusCode.Accepted))["runId"]!;
        await PendingAsync(rollout);

        var other = await _starter.CreateServiceAsync("meanwhile", "test_step", new { echo = "meanwhile" });
        Assert.Equal(RunStatus.Completed, (await _starter.WaitAsync(await _starter.RunAsync(other, [_devices["berlin-core"]]), 60)).Status);

        (await _approver.PostAsJsonAsync($"/api/runs/{rollout}/approvals", new { decision = "Approved" })).EnsureSuccessStatusCode();
        Assert.Equal((RunStatus.Completed, 2), ((await _starter.WaitAsync(rollout, 60)).Status, (await RunOfAsync(rollout)).DevicesDone));
    }

    /// <summary>A run whose change node a deferring freeze holds, found waiting for it (its gate approved once the freeze began).</summary>
    private async Task<(int RunId, int FreezeId)> DeferredMidRunAsync()
    {
        var gate = await _starter.CreateServiceAsync("gate", "approval", new { timeoutMinutes = 10 });
        var change = await _starter.CreateServiceAsync("change", "test_step", new { echo = "changed {{ device.name }}", changes = true });
        var workflow = await _starter.CreateWorkflowAsync("gate then change", [("gate", gate), ("change", change)], ["gate>change"]);
        var runId = await _starter.RunAsync(workflow, [_devices["paris-core"]]);
        await PendingAsync(runId);
        var response = await _admin.PostAsJsonAsync("/api/freezes", new
        {
            name = "stadium",
            reason = "Stadium event",
            action = "Defer",
            poolIds = Array.Empty<int>(),
            timeZone = "UTC",
            startAt = TimeProvider.System.GetUtcNow().AddHours(-1).UtcDateTime,
            endAt = TimeProvider.System.GetUtcNow().AddHours(2).UtcDateTime,
        });
        var freezeId = (int)(await AutomationClient.Read(response, System.Net.HttpStatusCode.Created))["id"]!;
        (await _approver.PostAsJsonAsync($"/api/runs/{runId}/approvals", new { decision = "Approved" })).EnsureSuccessStatusCode();

        // What the run waits for, as its page shows it: the freeze, no longer the gate.
        var waits = _app.Services.GetRequiredService<RunWaits>();
        var deadline = TimeProvider.System.GetUtcNow().AddSeconds(60);
        while (!waits.Of(runId).Any(w => w.StartsWith("change freeze 'stadium' to end", StringComparison.Ordinal)))
        {
            Assert.True(TimeProvider.System.GetUtcNow() < deadline, $"run {runId} never waited for the freeze: {string.Join("; ", waits.Of(runId))}");
            await Task.Delay(100);
        }
        Assert.DoesNotContain(waits.Of(runId), w => w.StartsWith("approval", StringComparison.Ordinal));
        return (runId, freezeId);
    }

    [Fact]
    public async Task A_run_deferred_by_a_freeze_mid_run_lets_another_run_execute_and_goes_on_when_the_freeze_ends()
    {
        var (deferred, freeze) = await DeferredMidRunAsync();

        // One slot on this node: the deferred run gave it back, so another run executes meanwhile.
        var other = await _starter.CreateServiceAsync("meanwhile", "test_step", new { echo = "meanwhile" });
        Assert.Equal(RunStatus.Completed, (await _starter.WaitAsync(await _starter.RunAsync(other, [_devices["berlin-core"]]), 60)).Status);
        Assert.Equal(RunStatus.Running, (await RunOfAsync(deferred)).Status);
        Assert.DoesNotContain(await _starter.ResultsAsync(deferred), r => r.Node == "change");

        // The freeze ends (deleted): the deferred node looks again at once, takes the slot back and changes the device.
        (await _admin.DeleteAsync($"/api/freezes/{freeze}")).EnsureSuccessStatusCode();
        var done = await _starter.WaitAsync(deferred, 60);
        Assert.Equal((RunStatus.Completed, 1), (done.Status, done.DevicesDone));
        Assert.Equal("changed paris-core", (await _starter.ResultsAsync(deferred)).Single(r => r.Node == "change" && r.Success).Output);
        Assert.Empty(_app.Services.GetRequiredService<RunWaits>().Of(deferred));
    }

    [Fact]
    public async Task A_run_cancelled_while_a_freeze_defers_it_ends_cancelled_and_frees_the_node()
    {
        var (deferred, _) = await DeferredMidRunAsync();

        Assert.Equal(System.Net.HttpStatusCode.Accepted, (await _starter.Http.PostAsync($"/api/runs/{deferred}/cancel", null)).StatusCode);
        var cancelled = await _starter.WaitAsync(deferred, 60);
        Assert.Equal(RunStatus.Cancelled, cancelled.Status);
        Assert.DoesNotContain(await _starter.ResultsAsync(deferred), r => r.Node == "change" && r.Success);
        Assert.Empty(_app.Services.GetRequiredService<RunWaits>().Of(deferred));
        Assert.Equal((0, 0), _app.Services.GetRequiredService<RunWaits>().Counts);

        // The slot came back with the cancel: the next run executes.
        var next = await _starter.CreateServiceAsync("next", "test_step", new { echo = "next" });
        Assert.Equal(RunStatus.Completed, (await _starter.WaitAsync(await _starter.RunAsync(next, [_devices["berlin-core"]]), 60)).Status);
    }
}
