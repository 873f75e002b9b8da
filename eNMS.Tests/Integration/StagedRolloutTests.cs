using System.Net;
using System.Net.Http.Json;
using eNMS.Core.Automation;
using eNMS.Core.Automation.Approvals;
using eNMS.Core.Data;
using eNMS.Core.Inventory;
using eNMS.Core.Security;
using eNMS.Tests.TestSupport;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace eNMS.Tests.Integration;

/// <summary>Staged rollouts through the API on the demo network's simulated devices: batches, the failure limit, the
/// wait and the approval between batches, and the resume that goes on from the batch the run stopped at.</summary>
public sealed class StagedRolloutTests : IAsyncLifetime
{
    // In name order, the order batches take them.
    private static readonly string[] Five = ["amsterdam-core", "athens-core", "barcelona-core", "berlin-core", "brussels-core"];

    private readonly EnmsAppFactory _app = new(seedDemo: true);
    private AutomationClient _client = null!;
    private Dictionary<string, int> _devices = null!;

    public async Task InitializeAsync()
    {
        _client = new AutomationClient(await _app.CreateClientAsync(Roles.Editor));
        await using var db = await _app.Services.GetRequiredService<IDbContextFactory<EnmsDbContext>>().CreateDbContextAsync();
        _devices = await db.Devices.ToDictionaryAsync(d => d.Name, d => d.Id);
    }

    public async Task DisposeAsync() => await _app.DisposeAsync();

    private async Task<int> StepAsync(string failOn = "") =>
        await _client.CreateServiceAsync($"step {Guid.NewGuid():N}", "test_step", new { failOn, echo = "{{ device.name }}" });

    private Task<HttpResponseMessage> StartAsync(int serviceId, object rollout) =>
        _client.Http.PostAsJsonAsync($"/api/services/{serviceId}/run", new { deviceIds = Five.Select(n => _devices[n]), rollout });

    private async Task<int> RunAsync(int serviceId, object rollout) =>
        (int)(await AutomationClient.Read(await StartAsync(serviceId, rollout), HttpStatusCode.Accepted))["runId"]!;

    private async Task<List<string>> DevicesRunAsync(int runId) =>
        [.. (await _client.ResultsAsync(runId)).Where(r => r.Node == RunResult.RunLevel).Select(r => r.DeviceName).Order()];

    /// <summary>Waits (bounded) until the run's log has a line containing this.</summary>
    private async Task LoggedAsync(int runId, string text)
    {
        var deadline = TimeProvider.System.GetUtcNow().AddSeconds(30);
        while (!(await _client.LogsAsync(runId)).Any(l => l.Message.Contains(text, StringComparison.Ordinal)))
        {
            Assert.True(TimeProvider.System.GetUtcNow() < deadline, $"run {runId} never logged '{text}'");
            await Task.Delay(100);
        }
    }

    [Fact]
    public async Task Invalid_stages_are_refused_with_the_stage_named_and_the_refusal_audited()
    {
        var step = await StepAsync();
        var over = await StartAsync(step, new { stages = "1, 150%" });
        Assert.Equal(HttpStatusCode.BadRequest, over.StatusCode);
        Assert.Contains("stage 2: '150%' is over 100%", await over.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        var zero = await StartAsync(step, new { stages = "0, 100%", failureLimit = "many" });
        var zeroText = await zero.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.BadRequest, zero.StatusCode);
        Assert.Contains("stage 1: '0' is not a device count of at least 1", zeroText, StringComparison.Ordinal);
        Assert.Contains("failureLimit: 'many'", zeroText, StringComparison.Ordinal);
        var many = await StartAsync(step, new { stages = string.Join(",", Enumerable.Repeat("1", 21)) });
        Assert.Contains("at most 20 stages", await many.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, (await StartAsync(step, new { stages = "1", waitSeconds = 90_000 })).StatusCode);

        await using var db = await _app.Services.GetRequiredService<IDbContextFactory<EnmsDbContext>>().CreateDbContextAsync();
        Assert.Equal(0, await db.Runs.CountAsync(r => r.ServiceId == step));
        Assert.Contains(await db.AuditEntries.Where(e => e.Action == "run start refused").Select(e => e.After).ToListAsync(),
            d => d != null && d.Contains("'150%' is over 100%", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Threshold_reached_on_the_first_batch_starts_nothing_else_says_why_and_a_resume_runs_the_rest_from_the_next_batch()
    {
        var step = await StepAsync(failOn: "amsterdam-core");
        var run = await _client.WaitAsync(await RunAsync(step, new { stages = "1, 2, 100%" }));

        Assert.Equal(RunStatus.Failed, run.Status);
        Assert.Contains("threshold reached: 1 of 1 failed in batch 1 (limit 0)", run.Error, StringComparison.Ordinal);
        Assert.Equal(["amsterdam-core"], await DevicesRunAsync(run.Id));
        Assert.Equal((1, 1), (run.DevicesDone, run.DevicesFailed));
        var progress = run.RolloutProgress!;
        Assert.Equal([.. Five.Skip(1)], progress.NotStarted);
        Assert.Equal(["failed", "not started (rollout stopped)", "not started (rollout stopped)"], progress.Batches.Select(b => b.Outcome));
        Assert.Equal([1, 2, 2], progress.Batches.Select(b => b.Devices.Count));
        await using (var db = await _app.Services.GetRequiredService<IDbContextFactory<EnmsDbContext>>().CreateDbContextAsync())
        {
            var started = await db.AuditEntries.SingleAsync(e => e.Action == "run start" && e.TargetId == run.Id.ToString(System.Globalization.CultureInfo.InvariantCulture));
            Assert.Equal("rollout: stages 1, 2, 100%; failure limit 0", started.After);
        }

        var resumed = (int)(await AutomationClient.Read(await _client.Http.PostAsync($"/api/runs/{run.Id}/resume", null), HttpStatusCode.Accepted))["runId"]!;
        var rest = await _client.WaitAsync(resumed);
        Assert.Equal(RunStatus.Completed, rest.Status);
        Assert.Equal([.. Five.Skip(1)], await DevicesRunAsync(resumed));
        Assert.Equal(2, rest.Rollout!.FirstStage);
        Assert.Equal([(2, 2), (3, 2)], rest.RolloutProgress!.Batches.Select(b => (b.Stage, b.Devices.Count)));
        Assert.All(rest.RolloutProgress.Batches, b => Assert.Equal("succeeded", b.Outcome));
    }

    [Fact]
    public async Task A_user_limited_to_pools_reads_only_their_own_devices_in_the_batches()
    {
        var run = await _client.WaitAsync(await RunAsync(await StepAsync(failOn: "amsterdam-core"), new { stages = "1, 2, 100%" }));
        int pool;
        await using (var db = await _app.Services.GetRequiredService<IDbContextFactory<EnmsDbContext>>().CreateDbContextAsync())
        {
            var berlin = await db.Devices.SingleAsync(d => d.Name == "berlin-core");
            var limited = new Pool { Name = "berlin only", Devices = [berlin] };
            db.Pools.Add(limited);
            await db.SaveChangesAsync();
            pool = limited.Id;
        }
        var reader = new AutomationClient(await _app.CreateClientAsync(Roles.Editor, [pool]));

        var seen = await reader.WaitAsync(run.Id);
        Assert.Equal([_devices["berlin-core"]], seen.DeviceIds);
        Assert.Equal([[], [], ["berlin-core"]], seen.RolloutProgress!.Batches.Select(b => b.Devices));
        Assert.Equal(["berlin-core"], seen.RolloutProgress.NotStarted);
        // The whole picture stays for a reader of every device.
        Assert.Equal([1, 2, 2], (await _client.WaitAsync(run.Id)).RolloutProgress!.Batches.Select(b => b.Devices.Count));
    }

    [Fact]
    public async Task A_batch_with_failures_under_the_limit_lets_the_workflow_go_on_to_every_device()
    {
        var step = await StepAsync(failOn: "athens-core");
        var workflow = await _client.CreateWorkflowAsync($"wf {Guid.NewGuid():N}", [("step", step)], []);
        var run = await _client.WaitAsync(await RunAsync(workflow, new { stages = "2, 100%", failureLimit = "1" }));

        Assert.Equal(RunStatus.Failed, run.Status);
        Assert.Equal("", run.Error);
        Assert.Equal(Five, await DevicesRunAsync(run.Id));
        Assert.Equal([(2, 1, "failed"), (3, 0, "succeeded")], run.RolloutProgress!.Batches.Select(b => (b.Done, b.Failed, b.Outcome)));
        Assert.Equal("", run.RolloutProgress.Stopped);
    }

    [Fact]
    public async Task Cancelling_the_run_during_the_wait_between_batches_ends_it_cancelled_with_no_later_batch_started()
    {
        var step = await StepAsync();
        var runId = await RunAsync(step, new { stages = "1, 100%", waitSeconds = 600 });
        await LoggedAsync(runId, "waiting 600 s before batch 2");

        Assert.Equal(HttpStatusCode.Accepted, (await _client.Http.PostAsync($"/api/runs/{runId}/cancel", null)).StatusCode);
        var run = await _client.WaitAsync(runId);
        Assert.Equal(RunStatus.Cancelled, run.Status);
        Assert.Equal(["amsterdam-core"], await DevicesRunAsync(runId));
        Assert.Equal("not finished (run cancelled or interrupted)", run.RolloutProgress!.Batches[1].Outcome);
    }

    [Fact]
    public async Task Rejecting_the_next_batch_stops_the_rollout_and_an_approval_lets_it_go_on()
    {
        var step = await StepAsync();
        var rejectedId = await RunAsync(step, new { stages = "1, 100%", approval = true });
        await LoggedAsync(rejectedId, "waiting for approval before batch 2");
        var asked = Assert.Single(await _client.Http.GetFromJsonAsync<List<ApprovalDecision>>($"/api/runs/{rejectedId}/approvals", AutomationClient.Json) ?? []);
        Assert.Equal(("rollout/batch 2", ApprovalVerdict.Pending), (asked.Node, asked.Decision));
        Assert.StartsWith("batch 2 (4): athens-core, barcelona-core", asked.DeviceName, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, (await _client.Http.PostAsJsonAsync($"/api/runs/{rejectedId}/approvals",
            new { decision = "Rejected", comment = "latency up in batch 1" })).StatusCode);
        var rejected = await _client.WaitAsync(rejectedId);
        Assert.Equal(RunStatus.Failed, rejected.Status);
        Assert.Contains("batch 2 rejected by", rejected.Error, StringComparison.Ordinal);
        Assert.Contains("latency up in batch 1", rejected.Error, StringComparison.Ordinal);
        Assert.Equal((1, 0), (rejected.DevicesDone, rejected.DevicesFailed));
        Assert.Equal(4, rejected.RolloutProgress!.NotStarted.Count);

        var approvedId = await RunAsync(step, new { stages = "1, 100%", approval = true });
        await LoggedAsync(approvedId, "waiting for approval before batch 2");
        Assert.Equal(HttpStatusCode.OK, (await _client.Http.PostAsJsonAsync($"/api/runs/{approvedId}/approvals", new { decision = "Approved" })).StatusCode);
        var approved = await _client.WaitAsync(approvedId);
        Assert.Equal(RunStatus.Completed, approved.Status);
        Assert.Equal(Five, await DevicesRunAsync(approvedId));
    }

    [Fact]
    public async Task A_schedule_refuses_an_invalid_rollout_and_its_runs_carry_a_valid_one()
    {
        var step = await StepAsync();
        object Schedule(string name, string stages) => new
        {
            name,
            serviceId = step,
            kind = "Interval",
            every = 1,
            unit = "Seconds",
            timeZone = "UTC",
            deviceIds = Five.Select(n => _devices[n]),
            rollout = new { stages, failureLimit = "10%" },
        };
        var bad = await _client.Http.PostAsJsonAsync("/api/schedules", Schedule("bad", "1, 150%"));
        Assert.Contains("stage 2: '150%' is over 100%", (string)(await AutomationClient.Read(bad, HttpStatusCode.BadRequest))["errors"]!["rollout"]![0]!,
            StringComparison.Ordinal);

        var id = (int)(await AutomationClient.Read(await _client.Http.PostAsJsonAsync("/api/schedules", Schedule("staged", "2, 100%")), HttpStatusCode.Created))["id"]!;
        var deadline = TimeProvider.System.GetUtcNow().AddSeconds(60);
        List<Run> runs;
        while ((runs = (await _client.Http.GetFromJsonAsync<List<Run>>($"/api/runs?serviceId={step}", AutomationClient.Json))!).Count == 0)
        {
            Assert.True(TimeProvider.System.GetUtcNow() < deadline, "the schedule started no run");
            await Task.Delay(200);
        }
        await _client.Http.PostAsync($"/api/schedules/{id}/pause", null);
        var run = await _client.WaitAsync(runs[^1].Id);
        Assert.Equal(new RolloutPlan { Stages = "2, 100%", FailureLimit = "10%" }, run.Rollout);
        Assert.Equal([2, 3], run.RolloutProgress!.Batches.Select(b => b.Devices.Count));
    }
}
