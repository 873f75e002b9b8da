using System.Net;
using System.Net.Http.Json;
using eNMS.Core.Automation;
using eNMS.Core.Automation.Execution;
using eNMS.Core.Security;
using eNMS.Tests.TestSupport;
using Microsoft.Extensions.DependencyInjection;

namespace eNMS.Tests.Core.Automation;

/// <summary>Engine semantics through the real app and API, with the test_step service kind.</summary>
public sealed class WorkflowEngineTests : IAsyncLifetime
{
    private readonly EnmsAppFactory _app = new();
    private AutomationClient _api = null!;

    public async Task InitializeAsync() => _api = new AutomationClient(await _app.CreateClientAsync(eNMS.Core.Security.Roles.Editor));

    public async Task DisposeAsync() => await _app.DisposeAsync();

    [Fact]
    public async Task Each_device_follows_its_own_success_or_failure_path()
    {
        var devices = await _api.CreateDevicesAsync("a", "b", "c");
        var check = await _api.CreateServiceAsync("check", "test_step", new { failOn = "b" });
        var deploy = await _api.CreateServiceAsync("deploy", "test_step", new { echo = "deploying {{ device.name }}" });
        var repair = await _api.CreateServiceAsync("repair", "test_step", new { failOn = "b" });
        var workflow = await _api.CreateWorkflowAsync("wf", [("check", check), ("deploy", deploy), ("repair", repair)], ["check>deploy", "check!repair"]);

        var run = await _api.WaitAsync(await _api.RunAsync(workflow, devices));
        var results = await _api.ResultsAsync(run.Id);

        Assert.Equal(["a", "c"], results.Where(r => r.Node == "deploy").Select(r => r.DeviceName).Order());
        Assert.Equal(["b"], results.Where(r => r.Node == "repair").Select(r => r.DeviceName));
        Assert.Equal("deploying a", results.Single(r => r is { Node: "deploy", DeviceName: "a" }).Output);
        Assert.Equal(RunStatus.Failed, run.Status); // b's last node failed
        Assert.Equal((3, 1), (run.DevicesDone, run.DevicesFailed));
    }

    [Theory]
    [InlineData("DeviceByDevice")]
    [InlineData("ServiceByService")]
    public async Task A_device_that_failed_a_node_then_succeeded_on_the_failure_path_is_counted_recovered(string mode)
    {
        // a: every node succeeds; b: check fails, repair succeeds (recovered); c: check and repair fail (failed).
        var devices = await _api.CreateDevicesAsync("a", "b", "c");
        var check = await _api.CreateServiceAsync("check", "test_step", new { failOn = "b,c" });
        var deploy = await _api.CreateServiceAsync("deploy", "test_step", new { });
        var repair = await _api.CreateServiceAsync("repair", "test_step", new { failOn = "c" });
        var workflow = await _api.CreateWorkflowAsync("wf", [("check", check), ("deploy", deploy), ("repair", repair)],
            ["check>deploy", "check!repair"], new { mode });

        var run = await _api.WaitAsync(await _api.RunAsync(workflow, devices));

        // The path rule stands: b's last node succeeded, so b counts as succeeded; c's did not.
        Assert.Equal((3, 1, 1), (run.DevicesDone, run.DevicesFailed, run.DevicesRecovered));
        var outcomes = (await _api.ResultsAsync(run.Id)).Where(r => r.IsRunLevel).ToDictionary(r => r.DeviceName);
        Assert.Equal("Workflow succeeded", outcomes["a"].Output);
        Assert.True(outcomes["b"].Success);
        Assert.Equal(RunExecutor.RecoveredOutcome, outcomes["b"].Output);
        Assert.Equal("Workflow failed", outcomes["c"].Output);
        // The API's run reply carries the count under its JSON name.
        var reply = await _api.Http.GetStringAsync($"/api/runs/{run.Id}");
        Assert.Contains("\"devicesRecovered\":1", reply, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_retry_that_succeeds_is_not_a_recovery()
    {
        var devices = await _api.CreateDevicesAsync("a");
        var flaky = await _api.CreateServiceAsync("flaky", "test_step", new { failTimes = 1 }, new { retries = 1, retryDelaySeconds = 0 });
        var workflow = await _api.CreateWorkflowAsync("wf", [("flaky", flaky)], []);

        var run = await _api.WaitAsync(await _api.RunAsync(workflow, devices));

        Assert.Equal((1, 0, 0), (run.DevicesDone, run.DevicesFailed, run.DevicesRecovered));
    }

    [Fact]
    public async Task Service_by_service_mode_finishes_a_node_on_all_devices_before_the_next()
    {
        var devices = await _api.CreateDevicesAsync("a", "b");
        var slow = await _api.CreateServiceAsync("slow", "test_step", new { delayMs = 300 });
        var fast = await _api.CreateServiceAsync("fast", "test_step", new { });
        var workflow = await _api.CreateWorkflowAsync("wf", [("slow", slow), ("fast", fast)], ["slow>fast"], new { mode = "ServiceByService" });

        var results = await _api.ResultsAsync((await _api.WaitAsync(await _api.RunAsync(workflow, devices))).Id);

        var lastSlow = results.Where(r => r.Node == "slow").Max(r => r.StartedAt.AddMilliseconds(r.DurationMs));
        Assert.All(results.Where(r => r.Node == "fast"), r => Assert.True(r.StartedAt >= lastSlow));
    }

    [Fact]
    public async Task Retries_timeouts_and_skip_conditions_apply_per_device()
    {
        var devices = await _api.CreateDevicesAsync("a", "b");
        var flaky = await _api.CreateServiceAsync("flaky", "test_step", new { failTimes = 1 }, new { retries = 1, retryDelaySeconds = 0 });
        var slow = await _api.CreateServiceAsync("slow", "test_step", new { delayMs = 5000 }, new { timeoutSeconds = 1, skipWhen = "device.name == 'a'" });

        var flakyResults = await _api.ResultsAsync((await _api.WaitAsync(await _api.RunAsync(flaky, devices))).Id);
        Assert.All(flakyResults, r => Assert.Equal((true, 2), (r.Success, r.Attempts)));

        var slowResults = await _api.ResultsAsync((await _api.WaitAsync(await _api.RunAsync(slow, devices))).Id);
        Assert.True(slowResults.Single(r => r.DeviceName == "a").Skipped);
        var b = slowResults.Single(r => r.DeviceName == "b");
        Assert.False(b.Success);
        Assert.Contains("Timed out after 1 s", b.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Nested_workflows_run_for_each_device_and_results_name_their_path()
    {
        var devices = await _api.CreateDevicesAsync("a");
        var step = await _api.CreateServiceAsync("step", "test_step", new { echo = "{{ variables.site }}" });
        var inner = await _api.CreateWorkflowAsync("inner", [("s1", step)], []);
        var outer = await _api.CreateWorkflowAsync("outer", [("sub", inner), ("after", step)], ["sub>after"]);

        var run = await _api.WaitAsync(await _api.RunAsync(outer, devices, new { site = "PAR1" }));
        var results = await _api.ResultsAsync(run.Id);

        Assert.Equal(RunStatus.Completed, run.Status);
        Assert.Equal("PAR1", results.Single(r => r.Node == "sub/s1").Output);
        Assert.Contains(results, r => r.Node == "after");
    }

    [Fact]
    public async Task A_template_error_fails_that_device_with_its_message_not_the_run()
    {
        var devices = await _api.CreateDevicesAsync("a");
        var broken = await _api.CreateServiceAsync("broken", "test_step", new { echo = "{% for x in %}" });
        var run = await _api.WaitAsync(await _api.RunAsync(broken, devices));
        var result = Assert.Single(await _api.ResultsAsync(run.Id));
        Assert.False(result.Success);
        Assert.Contains("Template error", result.Error, StringComparison.Ordinal);
        Assert.Equal(1, result.Attempts);
    }

    [Fact]
    public async Task Broken_workflows_are_refused_with_a_clear_message()
    {
        var step = await _api.CreateServiceAsync("step", "test_step", new { });
        var cyclic = await _api.CreateWorkflowAsync("cyclic", [("a", step), ("b", step)], ["a>b", "b>a"]);
        var dangling = await _api.CreateWorkflowAsync("dangling", [("a", step), ("island", step)], ["a>ghost"]);
        var unreachable = await _api.CreateWorkflowAsync("unreachable", [("a", step), ("island", step)], []);

        async Task<string> Refusal(int id) => (await AutomationClient.Read(await _api.StartAsync(id, []), HttpStatusCode.BadRequest))["detail"]!.ToString();
        Assert.Contains("cycle (a → b → a)", await Refusal(cyclic), StringComparison.Ordinal);
        Assert.Contains("'ghost', which is not a node", await Refusal(dangling), StringComparison.Ordinal);
        Assert.Contains("'island' cannot be reached", await Refusal(unreachable), StringComparison.Ordinal);

        var bounded = await _api.CreateWorkflowAsync("bounded", [("a", step), ("b", step)], ["a>b", "b>a"], new { maxIterations = 3 });
        var run = await _api.WaitAsync(await _api.RunAsync(bounded, await _api.CreateDevicesAsync("d1")));
        Assert.Equal(3, (await _api.ResultsAsync(run.Id)).Count(r => r.Node == "a"));
    }

    [Fact]
    public async Task A_running_run_can_be_cancelled()
    {
        var slow = await _api.CreateServiceAsync("slow", "test_step", new { delayMs = 20_000 });
        var runId = await _api.RunAsync(slow, await _api.CreateDevicesAsync("a"));
        var deadline = TimeProvider.System.GetUtcNow().AddSeconds(10);
        while ((await _api.Http.PostAsync($"/api/runs/{runId}/cancel", null)).StatusCode != HttpStatusCode.Accepted)
        {
            Assert.True(TimeProvider.System.GetUtcNow() < deadline, "the run never started");
            await Task.Delay(50);
        }
        Assert.Equal(RunStatus.Cancelled, (await _api.WaitAsync(runId)).Status);
    }

    [Fact]
    public async Task A_workflow_restarts_from_a_node_reusing_earlier_results()
    {
        var devices = await _api.CreateDevicesAsync("a");
        var first = await _api.CreateServiceAsync("first", "test_step", new { echo = "v1" });
        var second = await _api.CreateServiceAsync("second", "test_step", new { echo = "saw {{ results.first.output }}" });
        var workflow = await _api.CreateWorkflowAsync("wf", [("first", first), ("second", second)], ["first>second"]);
        var original = await _api.WaitAsync(await _api.RunAsync(workflow, devices));

        var response = await _api.Http.PostAsJsonAsync($"/api/runs/{original.Id}/restart", new { node = "second" });
        var restart = await _api.WaitAsync((int)(await AutomationClient.Read(response, HttpStatusCode.Accepted))["runId"]!);

        var results = await _api.ResultsAsync(restart.Id);
        Assert.DoesNotContain(results, r => r.Node == "first");
        Assert.Equal("saw v1", results.Single(r => r.Node == "second").Output);
    }

    [Fact]
    public async Task Subscribers_see_results_and_progress_as_they_happen()
    {
        var notifier = _app.Services.GetRequiredService<RunNotifier>();
        var events = new System.Collections.Concurrent.ConcurrentQueue<RunEvent>();
        using var subscription = notifier.SubscribeAll(RunEventScope.Everything, e =>
        {
            events.Enqueue(e);
            return Task.CompletedTask;
        });
        var step = await _api.CreateServiceAsync("step", "test_step", new { });
        var run = await _api.WaitAsync(await _api.RunAsync(step, await _api.CreateDevicesAsync("a", "b")));

        Assert.Equal(2, events.OfType<ResultRecorded>().Count(e => e.RunId == run.Id));
        Assert.Contains(events.OfType<RunProgressed>(), e => e.RunId == run.Id && e.Status == RunStatus.Completed && e.DevicesDone == 2);
        Assert.Contains(events.OfType<RunLogged>(), e => e.RunId == run.Id);
    }
}
