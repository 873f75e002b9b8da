using System.Net;
using System.Net.Http.Json;
using eNMS.Core.Automation;
using eNMS.Core.Automation.Approvals;
using eNMS.Core.Data;
using eNMS.Core.Security;
using eNMS.Tests.TestSupport;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace eNMS.Tests.Integration;

/// <summary>An approval gate in a workflow on the demo network: a cli_config dry run shows the diff, the gate holds each
/// device until someone else approves (success edge) or rejects it (failure edge), through the API.</summary>
public sealed class ApprovalGateTests : IAsyncLifetime
{
    private static readonly string[] Demo = ["paris-core", "london-core", "berlin-core"];

    // Owned here, not by the app: a test starts the app again on the same database.
    private readonly DirectoryInfo _data = Directory.CreateTempSubdirectory("enms-approval-");
    private EnmsAppFactory _app = null!;
    private AutomationClient _starter = null!;
    private HttpClient _approver = null!;
    private Dictionary<string, int> _devices = null!;

    public async Task InitializeAsync()
    {
        _app = new EnmsAppFactory(seedDemo: true, dataDirectory: _data.FullName);
        await ConnectAsync();
    }

    private async Task ConnectAsync()
    {
        // The run's starter and its approver are different editors: four eyes.
        _starter = new AutomationClient(await ClientAsync("starter", Roles.Editor));
        _approver = await ClientAsync("approver", Roles.Editor);
        await using var db = await _app.Services.GetRequiredService<IDbContextFactory<EnmsDbContext>>().CreateDbContextAsync();
        _devices = await db.Devices.ToDictionaryAsync(d => d.Name, d => d.Id);
    }

    public async Task DisposeAsync()
    {
        await _app.DisposeAsync();
        _data.Delete(recursive: true);
    }

    /// <summary>Stops the app (runs in flight become Interrupted) and starts it again on the same database.</summary>
    private async Task RestartAsync(IReadOnlyDictionary<string, string>? settings = null)
    {
        await _app.DisposeAsync();
        _app = new EnmsAppFactory(seedDemo: true, dataDirectory: _data.FullName) { Settings = settings ?? new Dictionary<string, string>() };
        await ConnectAsync();
    }

    /// <summary>A user by that name (created on first use), through a token.</summary>
    private async Task<HttpClient> ClientAsync(string name, string role, IReadOnlyList<int>? pools = null)
    {
        await using var scope = _app.Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<Microsoft.AspNetCore.Identity.UserManager<EnmsUser>>();
        var user = await users.FindByNameAsync(name) ?? await _app.CreateUserAsync(name, role, pools);
        return _app.CreateClient(await _app.CreateTokenAsync(user));
    }

    /// <summary>dry run → gate → "applied" on success, "refused" on failure.</summary>
    private async Task<int> WorkflowAsync(object gate, string mode = "DeviceByDevice")
    {
        var tag = Guid.NewGuid().ToString("N")[..8];
        var dry = await _starter.CreateServiceAsync($"dry {tag}", "cli_config", new { config = "snmp-server location {{ device.location }}", dryRun = true });
        var approval = await _starter.CreateServiceAsync($"gate {tag}", "approval", gate);
        var applied = await _starter.CreateServiceAsync($"applied {tag}", "test_step", new { echo = "applied" });
        var refused = await _starter.CreateServiceAsync($"refused {tag}", "test_step", new { echo = "refused" });
        return await _starter.CreateWorkflowAsync($"change {tag}", [("dry", dry), ("gate", approval), ("applied", applied), ("refused", refused)],
            ["dry>gate", "gate>applied", "gate!refused"], new { mode });
    }

    private static async Task<List<ApprovalDecision>> ApprovalsAsync(HttpClient http, int runId) =>
        (await http.GetFromJsonAsync<List<ApprovalDecision>>($"/api/runs/{runId}/approvals", AutomationClient.Json))!;

    /// <summary>Waits (bounded) until this many devices wait at the gate.</summary>
    private async Task<List<ApprovalDecision>> PendingAsync(int runId, int count)
    {
        var deadline = TimeProvider.System.GetUtcNow().AddSeconds(60);
        while (true)
        {
            var pending = (await ApprovalsAsync(_approver, runId)).Where(a => a.Decision == ApprovalVerdict.Pending).ToList();
            if (pending.Count >= count)
            {
                return pending;
            }
            Assert.True(TimeProvider.System.GetUtcNow() < deadline, $"run {runId}: {pending.Count} device(s) pending, not {count}");
            await Task.Delay(100);
        }
    }

    private static Task<HttpResponseMessage> DecideAsync(HttpClient http, int runId, string decision, string comment = "", params int[] deviceIds) =>
        http.PostAsJsonAsync($"/api/runs/{runId}/approvals", new { deviceIds, decision, comment });

    /// <summary>The last node each device ran ("applied" or "refused").</summary>
    private async Task<Dictionary<string, string>> PathsAsync(int runId) =>
        (await _starter.ResultsAsync(runId)).Where(r => r.Node is "applied" or "refused").ToDictionary(r => r.DeviceName, r => r.Node);

    private int[] Ids(params string[] names) => [.. names.Select(n => _devices[n])];

    [Fact]
    public async Task Nobody_deciding_in_time_takes_the_default_decision_and_notifies_the_approvers_once()
    {
        var hits = 0;
        await using var hook = await LoopbackHttp.StartAsync(_ => { Interlocked.Increment(ref hits); return Task.CompletedTask; });
        await RestartAsync(new Dictionary<string, string> { ["Automation:Outbound:AllowedNetworks:0"] = "127.0.0.1/32", ["Automation:PublicUrl"] = "https://enms.example.net" });
        Assert.Equal(HttpStatusCode.BadRequest, (await _starter.Http.PostAsJsonAsync("/api/services",
            new { name = "too long", kind = "approval", parameters = new { timeoutMinutes = 7 * 24 * 60 + 1 } })).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await _starter.Http.PostAsJsonAsync("/api/services",
            new { name = "no default", kind = "approval", parameters = new { onTimeout = "Pending" } })).StatusCode);
        var workflow = await WorkflowAsync(new { timeoutMinutes = 0.02, notifyTo = hook.Url.ToString() });
        var run = await _starter.WaitAsync(await _starter.RunAsync(workflow, Ids("paris-core", "london-core")), seconds: 90);

        Assert.Equal(new Dictionary<string, string> { ["paris-core"] = "refused", ["london-core"] = "refused" }, await PathsAsync(run.Id));
        var decisions = await ApprovalsAsync(_approver, run.Id);
        Assert.All(decisions, d => Assert.Equal((ApprovalVerdict.Rejected, ApprovalGate.TimeoutDecider), (d.Decision, d.DecidedBy)));
        Assert.All(decisions, d => Assert.Contains("snmp-server location", d.Preview, StringComparison.Ordinal));
        Assert.Equal(1, hits);
        Assert.Contains(await _starter.LogsAsync(run.Id), l => l.Message.Contains("approvers notified", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Rejecting_all_sends_every_device_down_the_failure_edge_and_records_who_why_and_when()
    {
        var workflow = await WorkflowAsync(new { });
        var runId = await _starter.RunAsync(workflow, Ids("paris-core", "london-core"));
        await PendingAsync(runId, 2);

        var rejected = await DecideAsync(_approver, runId, "Rejected", "not in this window");
        Assert.Equal(HttpStatusCode.OK, rejected.StatusCode);
        await _starter.WaitAsync(runId);

        Assert.Equal(new Dictionary<string, string> { ["paris-core"] = "refused", ["london-core"] = "refused" }, await PathsAsync(runId));
        var decisions = await ApprovalsAsync(_starter.Http, runId);
        Assert.All(decisions, d => Assert.Equal((ApprovalVerdict.Rejected, "approver", "not in this window"), (d.Decision, d.DecidedBy, d.Comment)));
        Assert.All(decisions, d => Assert.NotNull(d.DecidedAt));
        await using var db = await _app.Services.GetRequiredService<IDbContextFactory<EnmsDbContext>>().CreateDbContextAsync();
        Assert.Equal(2, await db.AuditEntries.CountAsync(e => e.TargetKind == "approval" && e.Action == "update" && e.User == "approver"));
    }

    [Fact]
    public async Task A_partial_approval_splits_the_devices_and_a_device_not_pending_is_refused_clearly()
    {
        var workflow = await WorkflowAsync(new { });
        var runId = await _starter.RunAsync(workflow, Ids(Demo));
        await PendingAsync(runId, 3);

        var notInRun = await DecideAsync(_approver, runId, "Approved", "", _devices["rome-core"], _devices["paris-core"]);
        Assert.Equal(HttpStatusCode.Conflict, notInRun.StatusCode);
        Assert.Contains($"device #{_devices["rome-core"]}", await notInRun.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(3, (await PendingAsync(runId, 3)).Count);
        Assert.Equal(HttpStatusCode.BadRequest, (await DecideAsync(_approver, runId, "Pending", "", _devices["paris-core"])).StatusCode);

        Assert.Equal(HttpStatusCode.OK, (await DecideAsync(_approver, runId, "Approved", "go", _devices["paris-core"])).StatusCode);
        var again = await DecideAsync(_approver, runId, "Rejected", "", _devices["paris-core"]);
        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
        Assert.Contains("Not waiting for a decision", await again.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, (await DecideAsync(_approver, runId, "Rejected", "", Ids("london-core", "berlin-core"))).StatusCode);
        var run = await _starter.WaitAsync(runId);

        Assert.Equal(new Dictionary<string, string> { ["paris-core"] = "applied", ["london-core"] = "refused", ["berlin-core"] = "refused" }, await PathsAsync(runId));
        var gate = (await _starter.ResultsAsync(runId)).Where(r => r.Node == "gate").ToDictionary(r => r.DeviceName);
        Assert.True(gate["paris-core"].Success);
        Assert.Contains("Approved by approver", gate["paris-core"].Output, StringComparison.Ordinal);
        Assert.False(gate["london-core"].Success);
        Assert.Equal(HttpStatusCode.Conflict, (await DecideAsync(_approver, run.Id, "Approved")).StatusCode);
    }

    [Fact]
    public async Task Only_someone_else_with_the_right_may_decide_and_a_pool_limited_approver_sees_only_their_devices()
    {
        var workflow = await WorkflowAsync(new { approvers = new[] { "listed-operator" } });
        var runId = await _starter.RunAsync(workflow, Ids("paris-core", "london-core"));
        await PendingAsync(runId, 2);

        var self = await DecideAsync(_starter.Http, runId, "Approved");
        Assert.Equal(HttpStatusCode.Forbidden, self.StatusCode);
        Assert.Contains("four eyes", await self.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Forbidden, (await DecideAsync(await ClientAsync("a-viewer", Roles.Viewer), runId, "Approved")).StatusCode);
        var unlisted = await DecideAsync(await ClientAsync("unlisted-operator", Roles.Operator), runId, "Approved");
        Assert.Equal(HttpStatusCode.Forbidden, unlisted.StatusCode);
        Assert.Contains("listed-operator", await unlisted.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(2, (await PendingAsync(runId, 2)).Count);

        var admin = new AutomationClient(await ClientAsync("pool-admin", Roles.Admin));
        var pool = (int)(await AutomationClient.Read(await admin.Http.PostAsJsonAsync("/api/pools",
            new { name = "paris only", mode = "Manual", deviceIds = Ids("paris-core") }), HttpStatusCode.Created))["id"]!;
        var scoped = await ClientAsync("paris-editor", Roles.Editor, [pool]);
        Assert.Equal(new[] { "paris-core" }, (await ApprovalsAsync(scoped, runId)).Select(d => d.DeviceName));
        Assert.Equal(HttpStatusCode.Conflict, (await DecideAsync(scoped, runId, "Approved", "", _devices["london-core"])).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await DecideAsync(scoped, runId, "Approved")).StatusCode);

        Assert.Equal(HttpStatusCode.OK, (await DecideAsync(await ClientAsync("listed-operator", Roles.Operator), runId, "Approved", "ok by me")).StatusCode);
        await _starter.WaitAsync(runId);
        Assert.Equal(new Dictionary<string, string> { ["paris-core"] = "applied", ["london-core"] = "applied" }, await PathsAsync(runId));
    }

    /// <summary>dry run → gate (skipped for <paramref name="skipOn"/>) → "applied", one device at a time.</summary>
    private async Task<int> OneAtATimeAsync(string skipOn, string mode)
    {
        var tag = Guid.NewGuid().ToString("N")[..8];
        var dry = await _starter.CreateServiceAsync($"dry {tag}", "cli_config", new { config = "snmp-server location {{ device.location }}", dryRun = true });
        var approval = await _starter.CreateServiceAsync($"gate {tag}", "approval", new { }, new { skipWhen = $"device.name == '{skipOn}'" });
        var applied = await _starter.CreateServiceAsync($"applied {tag}", "test_step", new { echo = "applied" });
        return await _starter.CreateWorkflowAsync($"one at a time {tag}", [("dry", dry), ("gate", approval), ("applied", applied)],
            ["dry>gate", "gate>applied"], new { mode }, new { maxParallelDevices = 1 });
    }

    /// <summary>Waits (bounded) until the device ran the node "applied".</summary>
    private async Task<RunResult> AppliedAsync(int runId, string device)
    {
        var deadline = TimeProvider.System.GetUtcNow().AddSeconds(60);
        while (true)
        {
            if ((await _starter.ResultsAsync(runId)).FirstOrDefault(r => r.Node == "applied" && r.DeviceName == device) is { } applied)
            {
                return applied;
            }
            Assert.True(TimeProvider.System.GetUtcNow() < deadline, $"run {runId}: {device} did not reach 'applied'");
            await Task.Delay(100);
        }
    }

    [Fact]
    public async Task A_device_waiting_for_approval_holds_neither_the_services_parallel_slot_nor_its_platforms_cap()
    {
        // One device at a time, one session of their platform at a time: madrid-core (first by name) waits at the gate
        // while paris-core (its gate skipped) connects, runs its dry run and finishes.
        await RestartAsync(new Dictionary<string, string> { ["Automation:PlatformLimits:cisco_ios"] = "1" });
        var workflow = await OneAtATimeAsync("paris-core", "DeviceByDevice");
        var runId = await _starter.RunAsync(workflow, Ids("madrid-core", "paris-core"));

        Assert.Equal(new[] { "madrid-core" }, (await PendingAsync(runId, 1)).Select(p => p.DeviceName));
        Assert.True((await AppliedAsync(runId, "paris-core")).Success);
        Assert.Equal(new[] { "madrid-core" }, (await PendingAsync(runId, 1)).Select(p => p.DeviceName));

        Assert.Equal(HttpStatusCode.OK, (await DecideAsync(_approver, runId, "Approved", "after paris")).StatusCode);
        var run = await _starter.WaitAsync(runId);
        Assert.Equal(RunStatus.Completed, run.Status);
        var applied = (await _starter.ResultsAsync(runId)).Where(r => r.Node == "applied").ToDictionary(r => r.DeviceName, r => r.StartedAt);
        Assert.True(applied["paris-core"] < applied["madrid-core"]);
    }

    [Fact]
    public async Task Service_by_service_one_device_at_a_time_every_device_reaches_the_gate_while_the_first_waits()
    {
        var workflow = await OneAtATimeAsync("nobody", "ServiceByService");
        var runId = await _starter.RunAsync(workflow, Ids(Demo));

        var pending = await PendingAsync(runId, 3);

        Assert.Equal(Demo.Order(StringComparer.Ordinal), pending.Select(p => p.DeviceName).Order(StringComparer.Ordinal));
        Assert.Equal(HttpStatusCode.OK, (await DecideAsync(_approver, runId, "Approved")).StatusCode);
        Assert.Equal(RunStatus.Completed, (await _starter.WaitAsync(runId)).Status);
    }

    [Fact]
    public async Task Cancelling_a_run_ends_the_wait_at_once()
    {
        var workflow = await WorkflowAsync(new { });
        var runId = await _starter.RunAsync(workflow, Ids("paris-core"));
        await PendingAsync(runId, 1);

        Assert.Equal(HttpStatusCode.Accepted, (await _starter.Http.PostAsync($"/api/runs/{runId}/cancel", null)).StatusCode);
        Assert.Equal(RunStatus.Cancelled, (await _starter.WaitAsync(runId, seconds: 15)).Status);
        var late = await DecideAsync(_approver, runId, "Approved");
        Assert.Equal(HttpStatusCode.Conflict, late.StatusCode);
        Assert.Contains("Cancelled", await late.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_run_resumed_after_the_app_stopped_keeps_the_decisions_taken_and_asks_only_for_the_others()
    {
        // Service by service: an approved device waits at the gate for the others, so the stop finds it not done.
        var workflow = await WorkflowAsync(new { }, "ServiceByService");
        var runId = await _starter.RunAsync(workflow, Ids("paris-core", "london-core"));
        await PendingAsync(runId, 2);
        Assert.Equal(HttpStatusCode.OK, (await DecideAsync(_approver, runId, "Approved", "before the restart", _devices["paris-core"])).StatusCode);

        await RestartAsync();
        Assert.Equal(RunStatus.Interrupted, (await _starter.WaitAsync(runId)).Status);

        var resumed = (int)(await AutomationClient.Read(await _starter.Http.PostAsync($"/api/runs/{runId}/resume", null), HttpStatusCode.Accepted))["runId"]!;
        var pending = await PendingAsync(resumed, 1);
        Assert.Equal(new[] { "london-core" }, pending.Select(p => p.DeviceName));
        var kept = (await ApprovalsAsync(_approver, resumed)).Single(d => d.DeviceName == "paris-core");
        Assert.Equal((ApprovalVerdict.Approved, "approver", "before the restart"), (kept.Decision, kept.DecidedBy, kept.Comment));
        Assert.Equal(HttpStatusCode.OK, (await DecideAsync(_approver, resumed, "Rejected", "", _devices["london-core"])).StatusCode);
        await _starter.WaitAsync(resumed);
        Assert.Equal(new Dictionary<string, string> { ["paris-core"] = "applied", ["london-core"] = "refused" }, await PathsAsync(resumed));
    }
}
