using System.Net;
using System.Net.Http.Json;
using eNMS.Core.Security;
using eNMS.Tests.TestSupport;

namespace eNMS.Tests.Integration;

/// <summary>A service that iterates (iterateOver, maxIterations), alone and as a workflow node, through the API.</summary>
public sealed class IterationTests : IAsyncLifetime
{
    private readonly EnmsAppFactory _app = new();
    private AutomationClient _api = null!;

    public async Task InitializeAsync() => _api = new AutomationClient(await _app.CreateClientAsync(Roles.Editor));

    public async Task DisposeAsync() => await _app.DisposeAsync();

    [Fact]
    public async Task More_values_than_the_cap_fail_the_device_before_anything_runs()
    {
        var devices = await _api.CreateDevicesAsync("r1");
        var service = await _api.CreateServiceAsync("capped", "test_step", new { echo = "{{ iteration.value }}" },
            new { iterateOver = "[1, 2, 3]", maxIterations = 2 });

        var run = await _api.WaitAsync(await _api.RunAsync(service, devices));

        var result = (await _api.ResultsAsync(run.Id)).Single();
        Assert.False(result.Success);
        Assert.Equal("Iterate over gave 3 values, more than the limit of 2 (maxIterations): nothing was run.", result.Error);
        var overHardCap = await _api.Http.PostAsJsonAsync("/api/services", new { name = "huge", kind = "test_step", parameters = new { }, iterateOver = "[1]", maxIterations = 100_000 });
        Assert.Contains("iterations", (string)(await AutomationClient.Read(overHardCap, HttpStatusCode.BadRequest))["errors"]!["iterateOver"]![0]!, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Each_value_reaches_the_template_with_its_own_result_and_the_node_sums_them_up()
    {
        var devices = await _api.CreateDevicesAsync("r1");
        var service = await _api.CreateServiceAsync("per site", "test_step", new { echo = "{{ device.name }} {{ iteration.index }}:{{ iteration.value }}" },
            new { iterateOver = "{% for s in variables.sites %}{{ s }}\n{% endfor %}" });

        var run = await _api.WaitAsync(await _api.RunAsync(service, devices, new { sites = new[] { "PAR", "LON" } }));

        var results = await _api.ResultsAsync(run.Id);
        Assert.Equal(["r1 1:PAR", "r1 2:LON"], results.Where(r => r.Node.StartsWith("per site[", StringComparison.Ordinal)).OrderBy(r => r.Node).Select(r => r.Output));
        var summary = results.Single(r => r.IsRunLevel);
        Assert.True(summary.Success);
        Assert.Equal("2 iteration(s): 2 succeeded, 0 failed", summary.Output);
    }

    [Fact]
    public async Task In_a_workflow_the_node_records_each_iteration_and_later_nodes_read_the_list()
    {
        var devices = await _api.CreateDevicesAsync("r1");
        var loop = await _api.CreateServiceAsync("loop", "test_step", new { echo = "{{ iteration.value }}" },
            new { iterateOver = """["a", "b"]""" });
        var after = await _api.CreateServiceAsync("after", "test_step", new { echo = "{{ results['loop'].data | size }} values, first {{ results['loop'].data[0].value }}" });
        var workflow = await _api.CreateWorkflowAsync("wf", [("loop", loop), ("after", after)], ["loop>after"]);

        var run = await _api.WaitAsync(await _api.RunAsync(workflow, devices));

        var results = await _api.ResultsAsync(run.Id);
        Assert.Equal(["loop[1]", "loop[2]"], results.Where(r => r.Node.StartsWith("loop[", StringComparison.Ordinal)).Select(r => r.Node).Order());
        Assert.Equal("2 values, first a", results.Single(r => r.Node == "after").Output);
    }
}
