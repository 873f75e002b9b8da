using System.Net;
using System.Net.Http.Json;
using eNMS.Core.Automation;
using eNMS.Core.Security;
using eNMS.Tests.TestSupport;

namespace eNMS.Tests.Integration;

/// <summary>A node that runs on devices derived from the current one (iterateDevices) through the API: results on the
/// derived devices and a summary on the parent, the shared cap, unknown names and the run's user's pools.</summary>
public sealed class DerivedDeviceIterationTests : IAsyncLifetime
{
    private readonly EnmsAppFactory _app = new();
    private AutomationClient _admin = null!;

    public async Task InitializeAsync() => _admin = new AutomationClient(await _app.CreateClientAsync(Roles.Admin));

    public async Task DisposeAsync() => await _app.DisposeAsync();

    private static RunResult On(List<RunResult> results, string node, string device) =>
        Assert.Single(results, r => r.Node == node && r.DeviceName == device);

    [Fact]
    public async Task Each_derived_device_runs_the_node_with_its_own_result_and_the_parent_sums_them_up()
    {
        var devices = await _admin.CreateDevicesAsync("r1", "r2", "r3");
        // An earlier node's output names the neighbours, one per line, in any case.
        var peers = await _admin.CreateServiceAsync("peers", "test_step", new { echo = "r2\nR3\nr2" });
        var visit = await _admin.CreateServiceAsync("visit", "test_step", new { echo = "on {{ device.name }}", failOn = "r3" },
            new { iterateDevices = "{{ results['peers'].output }}" });
        var after = await _admin.CreateServiceAsync("after", "test_step", new { echo = "{{ results['visit'].data | map: 'device' | join: ',' }}" });
        var workflow = await _admin.CreateWorkflowAsync("derive", [("peers", peers), ("visit", visit), ("after", after)], ["peers>visit", "visit!after"]);

        var run = await _admin.WaitAsync(await _admin.RunAsync(workflow, devices.Take(1)));

        var results = await _admin.ResultsAsync(run.Id);
        Assert.Equal("on r2", On(results, "visit[via r1]", "r2").Output);
        Assert.True(On(results, "visit[via r1]", "r2").Success);
        Assert.False(On(results, "visit[via r1]", "r3").Success);
        var parent = On(results, "visit", "r1");
        Assert.False(parent.Success);
        Assert.Equal("2 derived device(s): 1 succeeded, 1 failed", parent.Output);
        Assert.Equal("1 of 2 derived device(s) failed: r3", parent.Error);
        // The failure edge, with the derived devices as the later node reads them.
        Assert.Equal("r2,r3", On(results, "after", "r1").Output);
    }

    [Fact]
    public async Task Too_many_devices_or_an_unknown_name_fail_the_parent_naming_them_before_anything_runs()
    {
        var devices = await _admin.CreateDevicesAsync("a1", "a2", "a3", "a4");
        var capped = await _admin.CreateServiceAsync("capped", "test_step", new { echo = "{{ device.name }}" },
            new { iterateDevices = """["a2", "a3", "a4"]""", maxIterations = 2 });
        var unknown = await _admin.CreateServiceAsync("unknown", "test_step", new { echo = "{{ device.name }}" },
            new { iterateDevices = "a2\nnowhere-7\na3" });

        var cappedRun = await _admin.WaitAsync(await _admin.RunAsync(capped, devices.Take(1)));
        var unknownRun = await _admin.WaitAsync(await _admin.RunAsync(unknown, devices.Take(1)));

        Assert.Equal("Iterate devices gave 3 devices, more than the limit of 2 (maxIterations): nothing was run.",
            Assert.Single(await _admin.ResultsAsync(cappedRun.Id)).Error);
        var refused = Assert.Single(await _admin.ResultsAsync(unknownRun.Id));
        Assert.Equal(("a1", false), (refused.DeviceName, refused.Success));
        Assert.Equal("Iterate devices: 'nowhere-7' is no device of the inventory (by name or address): nothing was run.", refused.Error);
        var invalid = await _admin.Http.PostAsJsonAsync("/api/services", new { name = "broken", kind = "test_step", parameters = new { }, iterateDevices = "{% for x in %}" });
        Assert.True((await AutomationClient.Read(invalid, HttpStatusCode.BadRequest))["errors"]!["iterateDevices"] is not null);
    }

    [Fact]
    public async Task A_change_on_a_derived_device_that_a_freeze_holds_is_refused_on_it()
    {
        var devices = await _admin.CreateDevicesAsync("f1", "f2");
        var pool = (int)(await AutomationClient.Read(await _admin.Http.PostAsJsonAsync("/api/pools",
            new { name = "frozen f2", mode = "Manual", deviceIds = devices.Skip(1) }), HttpStatusCode.Created))["id"]!;
        var now = TimeProvider.System.GetUtcNow().UtcDateTime;
        await AutomationClient.Read(await _admin.Http.PostAsJsonAsync("/api/freezes", new
        {
            name = "f2 frozen",
            reason = "Stadium event",
            action = "Refuse",
            poolIds = new[] { pool },
            timeZone = "UTC",
            startAt = now.AddHours(-1),
            endAt = now.AddHours(1),
        }), HttpStatusCode.Created);
        var change = await _admin.CreateServiceAsync("ntp on neighbours", "cli_config", new { config = "ntp server 10.1.1.1" },
            new { iterateDevices = "f2" });

        // f1 is not frozen: the run starts; the change it derives onto f2 is refused there, before any connection.
        var run = await _admin.WaitAsync(await _admin.RunAsync(change, devices.Take(1)));

        var refused = On(await _admin.ResultsAsync(run.Id), "ntp on neighbours[via f1]", "f2");
        Assert.False(refused.Success);
        Assert.StartsWith("Refused: a change freeze holds this derived device — ", refused.Error, StringComparison.Ordinal);
        Assert.Contains("f2 frozen", refused.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_derived_device_outside_the_run_users_pools_is_refused_by_name()
    {
        var devices = await _admin.CreateDevicesAsync("p1", "p2", "p3");
        var pool = (int)(await AutomationClient.Read(await _admin.Http.PostAsJsonAsync("/api/pools",
            new { name = "p1 and p2", mode = "Manual", deviceIds = devices.Take(2) }), HttpStatusCode.Created))["id"]!;
        var limited = new AutomationClient(await _app.CreateClientAsync(Roles.Editor, [pool]));
        var inside = await limited.CreateServiceAsync("inside", "test_step", new { echo = "{{ device.name }}" },
            new { deviceIds = devices.Take(1), iterateDevices = "p2" });
        var beyond = await limited.CreateServiceAsync("beyond", "test_step", new { echo = "{{ device.name }}" },
            new { deviceIds = devices.Take(1), iterateDevices = "p2\np3" });

        var allowed = await limited.ResultsAsync((await limited.WaitAsync(await limited.RunAsync(inside, devices.Take(1)))).Id);
        var refusedRun = await limited.WaitAsync(await limited.RunAsync(beyond, devices.Take(1)));

        Assert.Equal("p2", On(allowed, "inside[via p1]", "p2").Output);
        var refused = Assert.Single(await limited.ResultsAsync(refusedRun.Id));
        Assert.Equal(RunStatus.Failed, refusedRun.Status);
        Assert.StartsWith("Iterate devices: 'p3' is outside the pools ", refused.Error, StringComparison.Ordinal);
        Assert.EndsWith(" may use: nothing was run.", refused.Error, StringComparison.Ordinal);
        // The same service run by someone not limited to pools reaches p3.
        var unlimited = await _admin.ResultsAsync((await _admin.WaitAsync(await _admin.RunAsync(beyond, devices.Take(1)))).Id);
        Assert.Equal("p3", On(unlimited, "beyond[via p1]", "p3").Output);
    }
}
