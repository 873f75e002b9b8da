using System.Net;
using System.Net.Http.Json;
using eNMS.Core.Automation;
using eNMS.Core.Security;
using eNMS.Tests.TestSupport;
using eNMS.Tests.TestSupport.Lab;

namespace eNMS.Tests.Integration;

/// <summary>Iteration over derived devices on the lab's FRR routers r1–r2–r3 (lldpd on their links, read as the Linux
/// user): a node reads a router's LLDP neighbours, the next runs on each neighbour the inventory knows.</summary>
[Collection(LabGroup.Name)]
public sealed class DerivedDevicesOnLabTests(LabFixture lab) : IAsyncLifetime
{
    /// <summary>The hostnames of the neighbours the node 'neighbours' read, one per line.</summary>
    private const string Neighbours = "{% for i in results['neighbours'].data.lldp_neighbors %}{% for n in i[1] %}{{ n.hostname }}\n{% endfor %}{% endfor %}";

    private readonly EnmsAppFactory _app = new();
    private AutomationClient _admin = null!;

    public async Task InitializeAsync() => _admin = new AutomationClient(await _app.CreateClientAsync(Roles.Admin));

    public async Task DisposeAsync() => await _app.DisposeAsync();

    private async Task<int> RouterAsync(string name, int router)
    {
        var credential = await AutomationClient.Read(await _admin.Http.PostAsJsonAsync("/api/credentials",
            new { name = $"cred-{name}", username = "enmshost", password = LabFixture.Password }), HttpStatusCode.Created);
        var device = await AutomationClient.Read(await _admin.Http.PostAsJsonAsync("/api/devices",
            new { name, address = $"10.255.0.{10 + router}", platform = "linux", credentialId = (int)credential["id"]! }), HttpStatusCode.Created);
        return (int)device["id"]!;
    }

    /// <summary>Runs the workflow on the device until its LLDP neighbours were read (lldpd sends every 5 s from the lab's
    /// start: at most 20 runs, 1 s apart).</summary>
    private async Task<List<RunResult>> RunUntilNeighboursAsync(int workflow, int device, int neighbours)
    {
        List<RunResult> results = [];
        for (var attempt = 0; attempt < 20; attempt++)
        {
            var run = await _admin.WaitAsync(await _admin.RunAsync(workflow, [device]), seconds: 120);
            results = await _admin.ResultsAsync(run.Id);
            if (results.Count(r => r.Node.StartsWith("visit[", StringComparison.Ordinal)) >= neighbours
                || results.Any(r => r.Node == "visit" && r.Error.Contains("no device of the inventory", StringComparison.Ordinal)))
            {
                return results;
            }
            await Task.Delay(TimeSpan.FromSeconds(1));
        }
        return results;
    }

    [LabFact]
    public async Task The_node_runs_on_each_lldp_neighbour_of_the_router_and_an_unknown_neighbour_is_named()
    {
        lab.RequireLab();
        var r1 = await RouterAsync("r1", 1);
        // Named with a domain: LLDP's "r2" is still this device, as discovery matches it.
        var r2 = await RouterAsync("r2.lab.example", 2);
        var neighbours = await _admin.CreateServiceAsync("lldp", "getters", new { getters = new[] { "lldp_neighbors" } });
        var visit = await _admin.CreateServiceAsync("visit neighbours", "getters", new { getters = new[] { "lldp_neighbors" } },
            new { iterateDevices = Neighbours, maxIterations = 5 });
        var workflow = await _admin.CreateWorkflowAsync("lldp walk", [("neighbours", neighbours), ("visit", visit)], ["neighbours>visit"]);

        // r1's only neighbour is r2: the node reads r2's own neighbours there, r1 among them.
        var fromR1 = await RunUntilNeighboursAsync(workflow, r1, 1);
        var onR2 = Assert.Single(fromR1, r => r.Node == "visit[via r1]");
        Assert.True(onR2.Success, onR2.Error);
        Assert.Equal("r2.lab.example", onR2.DeviceName);
        Assert.Contains("\"hostname\":\"r1\"", onR2.Data, StringComparison.Ordinal);
        var summary = Assert.Single(fromR1, r => r.Node == "visit");
        Assert.Equal(("r1", true, "1 derived device(s): 1 succeeded, 0 failed"), (summary.DeviceName, summary.Success, summary.Output));

        // r2's neighbours are r1 and r3; r3 is not in the inventory: named, and nothing runs on r1 either.
        var fromR2 = await RunUntilNeighboursAsync(workflow, r2, 2);
        var refused = Assert.Single(fromR2, r => r.Node == "visit");
        Assert.False(refused.Success);
        Assert.Equal("Iterate devices: 'r3' is no device of the inventory (by name or address): nothing was run.", refused.Error);
        Assert.DoesNotContain(fromR2, r => r.Node.StartsWith("visit[", StringComparison.Ordinal));
    }
}
